package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockProvider;
import dev.latchkey.testkit.lock.LockContract;
import dev.latchkey.testkit.redis.RedisClients;
import dev.latchkey.testkit.redis.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.JedisPooled;

import java.util.UUID;

/** The lock contract on Jedis ({@code JedisPooled}) against a standalone Redis. */
class JedisStandaloneContractTest extends LockContract {

    private static final String PREFIX = "latchkey-test:" + UUID.randomUUID() + ":";
    private static JedisPooled jedis;

    @BeforeAll
    static void connect() {
        jedis = RedisClients.jedis(RedisServers.sharedUri(), RedisClients.TIMEOUT);
    }

    @AfterAll
    static void disconnect() {
        jedis.close();
    }

    @Override
    protected LockProvider newProvider() {
        return RedisLockProvider.builder(jedis).keyPrefix(PREFIX).build();
    }
}
