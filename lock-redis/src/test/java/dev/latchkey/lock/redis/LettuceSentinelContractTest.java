package dev.latchkey.lock.redis;

import dev.latchkey.testkit.redis.RedisClients;
import dev.latchkey.testkit.redis.RedisSentinel;
import dev.latchkey.testkit.redis.RedisServers;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The lock contract on Lettuce through Redis Sentinel: a {@code RedisClient} created from a
 * {@code redis-sentinel://} URI that names three sentinels and the master name, never the master.
 */
class LettuceSentinelContractTest extends SentinelContract {

    private static RedisSentinel sentinel;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        sentinel = RedisServers.startSentinel(3);
        client = RedisClients.lettuce(sentinel.uri(), RedisClients.TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            RedisClients.shutdown(client);
        }
        if (sentinel != null) {
            sentinel.close();
        }
    }

    @Override
    protected RedisSentinel sentinel() {
        return sentinel;
    }

    @Override
    protected RedisLockProvider.Builder builder() {
        return RedisLockProvider.builder(client);
    }
}
