package dev.latchkey.idempotency;

import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.testkit.redis.RedisClients;
import dev.latchkey.testkit.redis.RedisCluster;
import dev.latchkey.testkit.redis.RedisServers;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.JedisCluster;

/** The store contract on Jedis ({@code JedisCluster}) against a real 3-master Redis Cluster. */
class RedisIdempotencyStoreJedisClusterTest extends IdempotencyStoreContract {

    private static RedisCluster cluster;
    private static JedisCluster jedis;
    private RedisIdempotencyStore redisStore;

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
    protected IdempotencyStore newStore() {
        redisStore = RedisIdempotencyStore.builder(jedis).keyPrefix("test:" + UUID.randomUUID() + ":").build();
        return redisStore;
    }

    @AfterEach
    void closeStore() {
        redisStore.close();
    }
}
