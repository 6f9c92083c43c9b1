package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockProvider;
import dev.latchkey.testkit.lock.LockContract;
import dev.latchkey.testkit.redis.PrivateRedis;
import dev.latchkey.testkit.redis.RedisSentinel;
import dev.latchkey.testkit.redis.RedisServers;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock contract on Lettuce through Redis Sentinel: a {@code RedisClient} created from a
 * {@code redis-sentinel://} URI that names three sentinels and the master name, never the master.
 */
class LettuceSentinelContractTest extends LockContract {

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
    protected LockProvider newProvider() {
        return RedisLockProvider.builder(client).build();
    }

    @Test
    void lease_isWrittenToTheMasterTheSentinelsName() {
        String name = uniqueName("on-master");
        try (RedisLockProvider locks = RedisLockProvider.builder(client).build()) {
            LockLease lease = locks.lock(name).tryAcquire().orElseThrow();
            PrivateRedis master = sentinel.currentMaster();
            try (JedisPooled direct = RedisClients.jedis(master.uri(), RedisClients.TIMEOUT)) {
                assertThat(direct.exists(locks.keyOf(name))).as("the lock key on the master %s", master).isTrue();
            }
            lease.release();
        }
    }

    @Test
    void waiter_isHandedTheLockByPubSubThroughSentinel_withoutPolling() throws Exception {
        try (RedisLockProvider holder = RedisLockProvider.builder(client).build();
             RedisLockProvider waiter = RedisLockProvider.builder(client).maxPollInterval(Duration.ofMinutes(10)).build()) {
            HandoffCheck.waiterIsHandedTheLockWithoutPolling(holder, waiter, uniqueName("handoff"));
        }
    }
}
