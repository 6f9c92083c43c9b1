package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockProvider;
import dev.latchkey.testkit.lock.LockContract;
import dev.latchkey.testkit.redis.PrivateRedis;
import dev.latchkey.testkit.redis.RedisClients;
import dev.latchkey.testkit.redis.RedisSentinel;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock contract through Redis Sentinel, plus what Sentinel adds: the lease lands on the master
 * the sentinels name, and a waiter is handed the lock by pub/sub alone. Subclasses give the
 * deployment and a builder on their client.
 */
abstract class SentinelContract extends LockContract {

    /** The running Sentinel deployment. */
    protected abstract RedisSentinel sentinel();

    /** A provider builder on a client that knows only the sentinels and the master name. */
    protected abstract RedisLockProvider.Builder builder();

    @Override
    protected LockProvider newProvider() {
        return builder().build();
    }

    @Test
    void lease_isWrittenToTheMasterTheSentinelsName() {
        String name = uniqueName("on-master");
        try (RedisLockProvider locks = builder().build()) {
            LockLease lease = locks.lock(name).tryAcquire().orElseThrow();
            PrivateRedis master = sentinel().currentMaster();
            try (JedisPooled direct = RedisClients.jedis(master.uri(), RedisClients.TIMEOUT)) {
                assertThat(direct.exists(locks.keyOf(name))).as("the lock key on the master %s", master).isTrue();
            }
            lease.release();
        }
    }

    @Test
    void waiter_isHandedTheLockByPubSubThroughSentinel_withoutPolling() throws Exception {
        try (RedisLockProvider holder = builder().build();
             RedisLockProvider waiter = builder().maxPollInterval(Duration.ofMinutes(10)).build()) {
            HandoffCheck.waiterIsHandedTheLockWithoutPolling(holder, waiter, uniqueName("handoff"));
        }
    }
}
