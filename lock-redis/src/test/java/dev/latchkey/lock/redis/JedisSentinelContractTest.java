package dev.latchkey.lock.redis;

import dev.latchkey.testkit.redis.RedisClients;
import dev.latchkey.testkit.redis.RedisSentinel;
import dev.latchkey.testkit.redis.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.RedisSentinelClient;

/**
 * The lock contract on Jedis through Redis Sentinel: a {@code RedisSentinelClient} (a
 * {@code UnifiedJedis}) that knows only the sentinel and the master name.
 */
class JedisSentinelContractTest extends SentinelContract {

    private static RedisSentinel sentinel;
    private static RedisSentinelClient jedis;

    @BeforeAll
    static void start() {
        sentinel = RedisServers.startSentinel(1);
        jedis = RedisClients.jedisSentinel(sentinel.masterName(), sentinel.host(), sentinel.sentinelPorts());
    }

    @AfterAll
    static void stop() {
        if (jedis != null) {
            jedis.close();
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
        return RedisLockProvider.builder(jedis);
    }
}
