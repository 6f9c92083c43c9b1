package dev.latchkey.lock.internal;

import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.lock.spi.AcquireResult;
import dev.latchkey.lock.spi.BackendLockProvider;
import dev.latchkey.lock.spi.LockBackend;
import dev.latchkey.lock.spi.ReleaseSignals;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link BackendLock} waits on a backend that subscribes for free and hands a released lock
 * straight to its one waiter: the first attempt already counts as the waiter's, and a grant taken
 * from the subscription is the lease, without another attempt, unless it is too old to be worth it.
 */
class BackendLockHandOverTest {

    @Test
    void waitingAcquire_subscribesBeforeItsFirstAttempt_andTakesTheHandedOverGrantWithoutAnotherAttempt()
            throws Exception {
        HandOverBackend backend = new HandOverBackend();
        try (BackendLockProvider provider = BackendLockProvider.builder(backend).build()) {
            LockLease held = provider.lock("n").tryAcquire().orElseThrow();
            backend.attempts.clear();
            CompletableFuture<Optional<LockLease>> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return provider.lock("n").tryAcquire(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            backend.awaitWaiter();
            held.release();
            LockLease got = waiter.get(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(backend.attempts).as("attempts of the waiter: one, made while already subscribed")
                    .containsExactly("subscribed");
            assertThat(got.fencingToken()).as("the lease carries the grant's fencing token").isEqualTo(2);
            assertThat(got.isHeld()).isTrue();
            got.release();
            assertThat(backend.holder).as("released").isNull();
        }
    }

    @Test
    void handedOverGrant_olderThanAQuarterOfTheLease_isConfirmedByAnAttempt() throws Exception {
        HandOverBackend backend = new HandOverBackend();
        LockOptions shortLease = LockOptions.builder().leaseTime(Duration.ofMillis(400)).build();
        try (BackendLockProvider provider = BackendLockProvider.builder(backend).build()) {
            LockLease held = provider.lock("n", shortLease).tryAcquire().orElseThrow();
            backend.attempts.clear();
            CompletableFuture<Optional<LockLease>> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return provider.lock("n", shortLease).tryAcquire(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            backend.awaitWaiter();
            Thread.sleep(150); // the waiter's only attempt is now older than 400 ms / 4
            held.release();
            LockLease got = waiter.get(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(backend.attempts).as("the stale grant is confirmed by one more attempt")
                    .containsExactly("subscribed", "subscribed");
            assertThat(got.fencingToken()).as("the confirming attempt's fencing token").isEqualTo(3);
            got.release();
        }
    }

    /** One name; a release grants the lock to the subscribed waiter, if any, with the next token. */
    private static final class HandOverBackend implements LockBackend, ReleaseSignals {
        final List<String> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final ReentrantLock lock = new ReentrantLock();
        private final Semaphore queued = new Semaphore(0);
        volatile String holder;
        private long fence;
        private Waiter waiter;

        @Override
        public AcquireResult tryAcquire(String name, String ownerToken, Duration leaseTime) {
            lock.lock();
            try {
                boolean subscribed = waiter != null && waiter.owner.equals(ownerToken);
                attempts.add(subscribed ? "subscribed" : "plain");
                if (holder == null || holder.equals(ownerToken)) {
                    holder = ownerToken;
                    return AcquireResult.acquired(++fence, null);
                }
                if (subscribed) {
                    queued.release();
                }
                return AcquireResult.held(name, 60_000);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean release(String name, String ownerToken, Object handle) {
            lock.lock();
            try {
                if (!ownerToken.equals(holder)) {
                    return false;
                }
                holder = null;
                if (waiter != null) {
                    holder = waiter.owner;
                    waiter.granted = ++fence;
                    waiter.signal.release();
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean extend(String name, String ownerToken, Object handle, Duration leaseTime) {
            return ownerToken.equals(holder);
        }

        @Override
        public ReleaseSignals releaseSignals() {
            return this;
        }

        @Override
        public boolean subscribeBeforeFirstAttempt() {
            return true;
        }

        @Override
        public Subscription subscribe(String name) {
            return Subscription.NONE;
        }

        @Override
        public Subscription subscribe(String name, String ownerToken) {
            lock.lock();
            try {
                waiter = new Waiter(ownerToken);
                return waiter;
            } finally {
                lock.unlock();
            }
        }

        void awaitWaiter() throws InterruptedException {
            assertThat(queued.tryAcquire(10, TimeUnit.SECONDS)).as("the waiter never queued").isTrue();
        }

        @Override
        public void close() {
        }

        private final class Waiter implements Subscription {
            final String owner;
            final Semaphore signal = new Semaphore(0);
            volatile long granted;

            Waiter(String owner) {
                this.owner = owner;
            }

            @Override
            public boolean await(long nanos) throws InterruptedException {
                return signal.tryAcquire(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public AcquireResult handedOver() {
                long f = granted;
                granted = 0;
                return f == 0 ? null : AcquireResult.acquired(f, null);
            }

            @Override
            public void close() {
                lock.lock();
                try {
                    if (waiter == this) {
                        waiter = null;
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
    }
}
