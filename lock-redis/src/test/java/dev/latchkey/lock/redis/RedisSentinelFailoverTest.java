package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.testkit.Closer;
import dev.latchkey.testkit.redis.PrivateRedis;
import dev.latchkey.testkit.redis.RedisClients;
import dev.latchkey.testkit.redis.RedisSentinel;
import dev.latchkey.testkit.redis.RedisServers;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisSentinelClient;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A forced Sentinel failover under a Lettuce and a Jedis provider. Once Sentinel has promoted the
 * replica and turned the old master into its replica, the same providers acquire and release on the
 * new master with fencing tokens above every earlier one, and their hand-off subscriptions follow.
 *
 * <p>No lease is held across the failover: replication is asynchronous, so a lease granted shortly
 * before a failover may be missing on the new master, and nothing here claims otherwise.
 */
class RedisSentinelFailoverTest {

    /** Short, so that a release the failover lost would only delay the next acquire, not hide it. */
    private static final LockOptions SHORT_LEASE = LockOptions.builder().leaseTime(Duration.ofSeconds(5)).build();
    private static final Duration RECONNECT_WAIT = Duration.ofSeconds(30);

    @Test
    void failover_sameProviders_acquireOnTheNewMasterWithLargerFencingTokens_andAreHandedLocksAgain()
            throws Exception {
        // Providers and clients are closed first, while the servers still answer.
        try (Closer toClose = new Closer()) {
            RedisSentinel sentinel = toClose.add(RedisServers.startSentinel(3));
            RedisClient lettuce = RedisClients.lettuce(sentinel.uri(), RedisClients.TIMEOUT);
            toClose.add(() -> RedisClients.shutdown(lettuce));
            RedisSentinelClient jedis = RedisClients.jedisSentinel(sentinel.masterName(), sentinel.host(),
                    sentinel.sentinelPorts());
            toClose.add(jedis);
            // A ten-minute poll: after the failover only the hand-off message can wake a waiter in time.
            Map<String, RedisLockProvider> providers = new LinkedHashMap<>();
            providers.put("lettuce:", RedisLockProvider.builder(lettuce).keyPrefix("latchkey-failover:lettuce:")
                    .maxPollInterval(Duration.ofMinutes(10)).build());
            providers.put("jedis:", RedisLockProvider.builder(jedis).keyPrefix("latchkey-failover:jedis:")
                    .maxPollInterval(Duration.ofMinutes(10)).build());
            providers.values().forEach(toClose::add);

            Map<String, Long> lastBefore = new LinkedHashMap<>();
            for (Map.Entry<String, RedisLockProvider> e : providers.entrySet()) {
                RedisLockProvider locks = e.getValue();
                long highest = 0;
                for (int i = 0; i < 5; i++) {
                    LockLease lease = locks.lock("fenced", SHORT_LEASE).tryAcquire().orElseThrow(
                            () -> new AssertionError("a free lock before the failover"));
                    assertThat(lease.fencingToken()).as("%s token before the failover", e.getKey()).isGreaterThan(highest);
                    highest = lease.fencingToken();
                    lease.release();
                }
                lastBefore.put(e.getKey(), highest);
                HandoffCheck.waiterIsHandedTheLockWithoutPolling(locks, locks, "handoff-before");
            }

            PrivateRedis old = sentinel.currentMaster();
            PrivateRedis promoted = sentinel.failover();
            assertThat(promoted).as("the new master").isNotSameAs(old);

            try (JedisPooled onPromoted = RedisClients.jedis(promoted.uri(), RedisClients.TIMEOUT)) {
                for (Map.Entry<String, RedisLockProvider> e : providers.entrySet()) {
                    String label = e.getKey();
                    RedisLockProvider locks = e.getValue();
                    // The clients reconnect on their own once Sentinel disconnected them from the old master.
                    LockLease after = await("a grant after the failover").atMost(RECONNECT_WAIT).ignoreExceptions()
                            .until(() -> locks.lock("fenced", SHORT_LEASE).tryAcquire(), Optional::isPresent)
                            .orElseThrow();
                    assertThat(onPromoted.exists(locks.keyOf("fenced")))
                            .as("%s grant after the failover is on the new master %s", label, promoted).isTrue();
                    assertThat(after.fencingToken()).as("%s first token after the failover, above the last before it",
                            label).isGreaterThan(lastBefore.get(label));
                    after.release();
                    assertThat(onPromoted.exists(locks.keyOf("fenced")))
                            .as("%s release after the failover deletes the key on the new master", label).isFalse();

                    String channels = "latchkey-failover:" + label + "handoff:*";
                    await(label + " hand-off subscription on the new master").atMost(RECONNECT_WAIT)
                            .until(() -> !((List<?>) onPromoted.sendCommand(Protocol.Command.PUBSUB, "CHANNELS", channels)).isEmpty());
                    HandoffCheck.waiterIsHandedTheLockWithoutPolling(locks, locks, "handoff-after");
                }
            }
        }
    }
}
