package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockProvider;
import dev.latchkey.testkit.lock.LockContract;
import dev.latchkey.testkit.redis.RedisClients;
import dev.latchkey.testkit.redis.RedisCluster;
import dev.latchkey.testkit.redis.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import redis.clients.jedis.JedisCluster;

/** The lock contract on Jedis ({@code JedisCluster}) against a real 3-master Redis Cluster. */
class JedisClusterContractTest extends LockContract {

    private static RedisCluster cluster;
    private static JedisCluster jedis;

    @BeforeAll
    static void start() {
        cluster = RedisServers.startCluster(3);
        jedis = RedisClients.jedisCluster(cluster.uris());
    }

    @AfterAll
    static void stop() {
        if (jedis != null) {
            jedis.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected LockProvider newProvider() {
        return RedisLockProvider.builder(jedis).build();
    }

    @Test
    void waiter_isHandedTheLockByPubSubAcrossNodes_withoutPolling() throws Exception {
        try (RedisLockProvider holder = RedisLockProvider.builder(jedis).build();
             RedisLockProvider waiter = RedisLockProvider.builder(jedis).maxPollInterval(Duration.ofMinutes(10)).build()) {
            for (String name : new String[] {"handoff-a", "handoff-b", "handoff-c", "handoff-{}"}) {
                HandoffCheck.waiterIsHandedTheLockWithoutPolling(holder, waiter, uniqueName(name));
            }
        }
    }
}
