package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockProvider;
import dev.latchkey.testkit.lock.LockContract;
import dev.latchkey.testkit.redis.PrivateRedis;
import dev.latchkey.testkit.redis.RedisSentinel;
import dev.latchkey.testkit.redis.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.RedisSentinelClient;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock contract on Jedis through Redis Sentinel: a {@code RedisSentinelClient} (a
 * {@code UnifiedJedis}) that knows only the sentinel and the master name.
 */
class JedisSentinelContractTest extends LockContract {

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
    protected LockProvider newProvider() {
        return RedisLockProvider.builder(jedis).build();
    }

    @Test
    void lease_isWrittenToTheMasterTheSentinelNames() {
        String name = uniqueName("on-master");
        try (RedisLockProvider locks = RedisLockProvider.builder(jedis).build()) {
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
        try (RedisLockProvider holder = RedisLockProvider.builder(jedis).build();
             RedisLockProvider waiter = RedisLockProvider.builder(jedis).maxPollInterval(Duration.ofMinutes(10)).build()) {
            HandoffCheck.waiterIsHandedTheLockWithoutPolling(holder, waiter, uniqueName("handoff"));
        }
    }
}
