package dev.latchkey.idempotency;

import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.testkit.redis.RedisCluster;
import dev.latchkey.testkit.redis.RedisServers;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on Lettuce against a real 3-master Redis Cluster: hash-tagged keys, one slot per record. */
class RedisIdempotencyStoreLettuceClusterTest extends IdempotencyStoreContract {

    private static RedisCluster cluster;
    private static RedisClusterClient client;
    private RedisIdempotencyStore redisStore;

    @BeforeAll
    static void start() {
        cluster = RedisServers.startCluster(3);
        client = RedisClusterClient.create(cluster.uris().stream().map(RedisURI::create).toList());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.shutdown();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected IdempotencyStore newStore() {
        redisStore = RedisIdempotencyStore.builder(client).keyPrefix("test:" + UUID.randomUUID() + ":").build();
        return redisStore;
    }

    @AfterEach
    void closeStore() {
        redisStore.close();
    }
}
