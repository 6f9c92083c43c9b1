package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockProvider;
import dev.latchkey.testkit.lock.LockContract;
import dev.latchkey.testkit.redis.RedisCluster;
import dev.latchkey.testkit.redis.RedisServers;
import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The lock contract on Lettuce against a real 3-master Redis Cluster. */
class LettuceClusterContractTest extends LockContract {

    private static RedisCluster cluster;
    private static RedisClusterClient client;

    @BeforeAll
    static void start() {
        cluster = RedisServers.startCluster(3);
        client = RedisClients.lettuceCluster(cluster.uris());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            RedisClients.shutdown(client);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected LockProvider newProvider() {
        return RedisLockProvider.builder(client).build();
    }
}
