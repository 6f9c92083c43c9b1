package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.testkit.Closer;
import dev.latchkey.testkit.redis.PrivateRedis;
import dev.latchkey.testkit.redis.RedisClients;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-off delay ({@code handOffAfter}) seen from providers: only a releaser that takes the
 * lock back in a loop keeps it from waiters younger than the delay; a waiter that has waited the
 * delay is handed the lock by the next release; and a lock its looping releaser does not take back
 * is handed on soon, not when the waiter reaches the delay or polls. (What a release does while
 * every waiter is younger is checked on the scripts themselves, in {@code HandOffScriptTest}.)
 */
class RedisHandOffDelayTest {

    private static final String PREFIX = "latchkey-delay:";
    private static final LockOptions MINUTE_LEASE = LockOptions.builder().leaseTime(Duration.ofMinutes(1)).build();
    private final Closer toClose = new Closer();
    private PrivateRedis redis;

    @BeforeEach
    void start() {
        redis = toClose.add(PrivateRedis.start());
    }

    @AfterEach
    void stop() throws Exception {
        toClose.close();
    }

    /** A provider whose waiters never poll within a test: only a hand-off can wake them. */
    private RedisLockProvider lettuce(Duration handOffAfter) {
        RedisClient client = RedisClients.lettuce(redis.uri(), Duration.ofSeconds(5));
        toClose.add(() -> RedisClients.shutdown(client));
        RedisLockProvider p = RedisLockProvider.builder(client).keyPrefix(PREFIX).handOffAfter(handOffAfter)
                .maxPollInterval(Duration.ofMinutes(5)).build();
        toClose.add(p);
        return p;
    }

    private RedisLockProvider jedis(Duration handOffAfter) {
        JedisPooled jedis = RedisClients.jedis(redis.uri(), Duration.ofSeconds(5));
        toClose.add(jedis);
        RedisLockProvider p = RedisLockProvider.builder(jedis).keyPrefix(PREFIX).handOffAfter(handOffAfter)
                .maxPollInterval(Duration.ofMinutes(5)).build();
        toClose.add(p);
        return p;
    }

    @Test
    void aLockItsReleaserDoesNotTakeBack_isHandedToAYoungWaiterWithinMilliseconds_onLettuce() throws Exception {
        handedOnAlthoughTheWaiterIsYoung(lettuce(Duration.ofMinutes(10)), lettuce(Duration.ofMinutes(10)));
    }

    @Test
    void aLockItsReleaserDoesNotTakeBack_isHandedToAYoungWaiterWithinMilliseconds_onJedis() throws Exception {
        handedOnAlthoughTheWaiterIsYoung(jedis(Duration.ofMinutes(10)), jedis(Duration.ofMinutes(10)));
    }

    /**
     * The holder takes the lock back in a loop first, so its release keeps the lock from the young
     * waiter; the waiter is far younger than the delay and does not poll for minutes: only the
     * releasing provider's late wake can hand it the lock within the 10 s allowed here.
     */
    private void handedOnAlthoughTheWaiterIsYoung(RedisLockProvider holderSide, RedisLockProvider waiterSide)
            throws Exception {
        LockLease held = loopOn(holderSide);
        Waiting waiting = waitFor(waiterSide);
        held.release();
        LockLease got = waiting.result.get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(got.isHeld()).isTrue();
        assertThat(got.fencingToken()).isGreaterThan(held.fencingToken());
        assertThat(holderSide.lock("room").tryAcquire()).as("the waiter holds it").isEmpty();
        got.release();
    }

    @Test
    void aReleaseOfAHolderThatDoesNotLoop_handsTheLockToAYoungWaiterAtOnce() throws Exception {
        RedisLockProvider holderSide = jedis(Duration.ofMinutes(10));
        RedisLockProvider waiterSide = jedis(Duration.ofMinutes(10));
        LockLease held = holderSide.lock("room", MINUTE_LEASE).tryAcquire().orElseThrow();
        Waiting waiting = waitFor(waiterSide);

        releaseHandsTheLockTo(waiting, held, holderSide);
    }

    @Test
    void aWaiterQueuedForTheDelay_isHandedTheLockByTheNextRelease_evenOfALoopingHolder() throws Exception {
        RedisLockProvider holderSide = lettuce(Duration.ofMillis(200));
        RedisLockProvider waiterSide = lettuce(Duration.ofMillis(200));
        LockLease held = loopOn(holderSide);
        Waiting waiting = waitFor(waiterSide);
        Thread.sleep(400); // the waiter has now waited the delay, on any clock

        releaseHandsTheLockTo(waiting, held, holderSide);
    }

    /**
     * Releases {@code held} and checks that the release itself handed the lock to the waiter: the
     * releaser's own attempt right after it fails, and the waiter holds the lock with a later token.
     */
    private static void releaseHandsTheLockTo(Waiting waiting, LockLease held, RedisLockProvider holderSide)
            throws Exception {
        held.release();
        Optional<LockLease> again = holderSide.lock("room", MINUTE_LEASE).tryAcquire();

        assertThat(again).as("the release handed the lock to the waiter: the releaser cannot take it back").isEmpty();
        LockLease got = waiting.result.get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(got.fencingToken()).isGreaterThan(held.fencingToken());
        got.release();
    }

    /**
     * Releases "room" and takes it straight back, 20 times (once within 1 ms of a release is enough
     * for the provider to count as looping), and returns the lease held at the end.
     */
    private static LockLease loopOn(RedisLockProvider provider) {
        LockLease held = provider.lock("room", MINUTE_LEASE).tryAcquire().orElseThrow();
        for (int i = 0; i < 20; i++) {
            held.release();
            held = provider.lock("room", MINUTE_LEASE).tryAcquire().orElseThrow();
        }
        return held;
    }

    private record Waiting(Thread thread, CompletableFuture<Optional<LockLease>> result) {
    }

    /** Starts a waiter of {@code provider} for "room" and returns once it sleeps (queued by its attempt). */
    private static Waiting waitFor(RedisLockProvider provider) throws InterruptedException {
        CompletableFuture<Optional<LockLease>> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(provider.lock("room", MINUTE_LEASE).tryAcquire(Duration.ofSeconds(60)));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        t.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - end < 0 && !asleep(t)) {
            Thread.sleep(5);
        }
        assertThat(asleep(t)).as("the waiter is asleep").isTrue();
        return new Waiting(t, result);
    }

    private static boolean asleep(Thread t) throws InterruptedException {
        Thread.State s = t.getState();
        if (s != Thread.State.TIMED_WAITING && s != Thread.State.WAITING) {
            return false;
        }
        Thread.sleep(50);
        return t.getState() == s;
    }
}
