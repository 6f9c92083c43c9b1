package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockProvider;
import dev.latchkey.testkit.lock.LockContract;
import dev.latchkey.testkit.redis.RedisCluster;
import dev.latchkey.testkit.redis.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
}
