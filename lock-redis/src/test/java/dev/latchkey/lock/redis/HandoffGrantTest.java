package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockBackendException;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.testkit.Closer;
import dev.latchkey.testkit.proxy.FaultProxy;
import dev.latchkey.testkit.redis.PrivateRedis;
import dev.latchkey.testkit.redis.RedisClients;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A release grants the lock outright to the oldest queued waiter whose provider still listens, and
 * never to one whose provider is gone: a dead waiter must not sit on the lock for a whole lease.
 */
class HandoffGrantTest {

    private static final String PREFIX = "latchkey-grant:";
    private final Closer toClose = new Closer();
    private PrivateRedis redis;
    private RedisCommands<String, String> raw;

    @BeforeEach
    void start() {
        redis = toClose.add(PrivateRedis.start());
        RedisClient client = RedisClients.lettuce(redis.uri(), Duration.ofSeconds(2));
        toClose.add(() -> RedisClients.shutdown(client));
        StatefulRedisConnection<String, String> connection = client.connect();
        toClose.add(connection);
        raw = connection.sync();
    }

    @AfterEach
    void stop() throws Exception {
        toClose.close();
    }

    private RedisLockProvider provider() {
        RedisClient client = RedisClients.lettuce(redis.uri(), Duration.ofSeconds(2));
        toClose.add(() -> RedisClients.shutdown(client));
        RedisLockProvider p = RedisLockProvider.builder(client).keyPrefix(PREFIX).build();
        toClose.add(p);
        return p;
    }

    @Test
    void release_skipsAQueuedWaiterWhoseProviderNoLongerListens_andGrantsTheNextOne() throws Exception {
        LockOptions longLease = LockOptions.builder().leaseTime(Duration.ofSeconds(60)).build();
        RedisLockProvider holderSide = provider();
        RedisLockProvider waiterSide = provider();
        LockLease held = holderSide.lock("room", longLease).tryAcquire().orElseThrow();
        // A waiter of a provider that died: first in line, registered for a grant, on a channel
        // nobody subscribes to any more.
        String base = PREFIX + "{room}";
        long nowMs = Long.parseLong(raw.time().get(0)) * 1000;
        raw.zadd(base + ":queue", 1, "dead-waiter");
        raw.hset(base + ":waiters", "dead-waiter", (nowMs + 60_000) + " 60000 g " + PREFIX + "handoff:gone");
        CompletableFuture<Optional<LockLease>> waiter = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                waiter.complete(waiterSide.lock("room", longLease).tryAcquire(Duration.ofSeconds(30)));
            } catch (Throwable e) {
                waiter.completeExceptionally(e);
            }
        });
        t.start();
        awaitQueued(base + ":queue", 2);

        held.release();

        LockLease got = waiter.get(10, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError("the live waiter behind the dead one never got the lock"));
        assertThat(raw.get(base)).as("the lock belongs to the live waiter, not to the dead one")
                .isEqualTo(got.ownerToken());
        assertThat(got.fencingToken()).as("a grant's fencing token is above the previous holder's")
                .isGreaterThan(held.fencingToken());
        assertThat(raw.zcard(base + ":queue")).as("both waiters left the queue").isZero();
        got.release();
        assertThat(raw.exists(base)).as("released").isZero();
    }

    @Test
    void grantedWaiter_holdsForItsFullLease_andIsSafeToExtend() throws Exception {
        LockOptions lease = LockOptions.builder().leaseTime(Duration.ofSeconds(20)).build();
        RedisLockProvider holderSide = provider();
        RedisLockProvider waiterSide = provider();
        LockLease held = holderSide.lock("desk", lease).tryAcquire().orElseThrow();
        CompletableFuture<Optional<LockLease>> waiter = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                waiter.complete(waiterSide.lock("desk", lease).tryAcquire(Duration.ofSeconds(30)));
            } catch (Throwable e) {
                waiter.completeExceptionally(e);
            }
        });
        t.start();
        awaitQueued(PREFIX + "{desk}:queue", 1);
        held.release();
        LockLease got = waiter.get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(raw.pttl(PREFIX + "{desk}")).as("the grant carries the waiter's own lease time, not a short claim")
                .isGreaterThan(15_000L);
        assertThat(got.isHeld()).isTrue();
        assertThat(got.extend(Duration.ofSeconds(20))).as("the granted owner token is the one in Redis").isTrue();
        assertThat(holderSide.lock("desk", lease).tryAcquire()).as("granted means held").isEmpty();
        got.release();
        assertThat(holderSide.lock("desk", lease).tryAcquire()).as("free after the release").isPresent();
    }

    @Test
    void waiterThatTakesAnExpiredLockOnItsOwnAttempt_leavesTheQueue_soItsReleaseFreesTheLock() throws Exception {
        LockOptions lease = LockOptions.builder().leaseTime(Duration.ofSeconds(20)).build();
        RedisLockProvider waiterSide = provider();
        RedisLockProvider otherSide = provider();
        String base = PREFIX + "{shelf}";
        raw.psetex(base, 500, "a-holder-that-vanished"); // never released: the waiter takes it when it expires
        LockLease got = waiterSide.lock("shelf", lease).tryAcquire(Duration.ofSeconds(30)).orElseThrow();

        assertThat(raw.zcard(base + ":queue")).as("the attempt that took the lock left the queue").isZero();
        assertThat(raw.hlen(base + ":waiters")).as("and removed its registration").isZero();
        got.release();
        assertThat(otherSide.lock("shelf", lease).tryAcquire())
                .as("its release frees the lock (a registration left behind would hand the lock back to it)")
                .isPresent();
    }

    @Test
    void grantToAWaiterThatGaveUp_afterItsAttemptReachedRedisTooLate_isGivenBack() throws Exception {
        // The waiter's attempt is held up on the way, its command times out and the acquire fails;
        // then the attempt reaches Redis after all and queues an owner nobody waits for. The next
        // release grants the lock to that owner: its provider must give it back, not leave it
        // held for the whole lease.
        LockOptions longLease = LockOptions.builder().leaseTime(Duration.ofSeconds(60)).build();
        RedisLockProvider holderSide = provider();
        FaultProxy proxy = FaultProxy.start(redis.host(), redis.port());
        toClose.add(proxy);
        RedisClient viaProxy = RedisClients.lettuce("redis://" + proxy.host() + ":" + proxy.port(),
                Duration.ofMillis(500));
        toClose.add(() -> RedisClients.shutdown(viaProxy));
        RedisLockProvider waiterSide = RedisLockProvider.builder(viaProxy).keyPrefix(PREFIX).build();
        toClose.add(waiterSide);
        LockLease held = holderSide.lock("gate", longLease).tryAcquire().orElseThrow();

        proxy.blackhole();
        assertThatThrownBy(() -> waiterSide.lock("gate", longLease).tryAcquire(Duration.ofSeconds(30)))
                .isInstanceOf(LockBackendException.class);
        proxy.pass();
        awaitQueued(PREFIX + "{gate}:queue", 1);
        held.release();

        assertThat(provider().lock("gate", longLease).tryAcquire(Duration.ofSeconds(10)))
                .as("the lock is free again well within the granted lease").isPresent();
    }

    private void awaitQueued(String queue, long size) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (raw.zcard(queue) < size) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("the waiter never queued on " + queue);
            }
            Thread.sleep(5);
        }
    }
}
