package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockProvider;
import dev.latchkey.testkit.redis.RedisClients;
import dev.latchkey.testkit.redis.RedisServers;
import dev.latchkey.testkit.vthreads.VirtualThreadsLockContract;
import io.lettuce.core.RedisClient;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import redis.clients.jedis.JedisPooled;

/**
 * The Redis lock used from virtual threads ({@link VirtualThreadsLockContract}), on Lettuce and on
 * Jedis.
 */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need JDK 21 or later")
class RedisLockVirtualThreadsTest {

    private static final String PREFIX = "latchkey-test:" + UUID.randomUUID() + ":";

    private static RedisClient lettuce;
    private static JedisPooled jedis;

    @BeforeAll
    static void connect() {
        lettuce = RedisClients.lettuce(RedisServers.sharedUri(), RedisClients.TIMEOUT);
        jedis = RedisClients.jedis(RedisServers.sharedUri(), RedisClients.TIMEOUT);
    }

    @AfterAll
    static void disconnect() {
        RedisClients.shutdown(lettuce);
        jedis.close();
    }

    @Nested
    class Lettuce extends VirtualThreadsLockContract {
        @Override
        protected LockProvider newProvider() {
            return RedisLockProvider.builder(lettuce).keyPrefix(PREFIX).build();
        }
    }

    @Nested
    class Jedis extends VirtualThreadsLockContract {
        @Override
        protected LockProvider newProvider() {
            return RedisLockProvider.builder(jedis).keyPrefix(PREFIX).build();
        }
    }
}
