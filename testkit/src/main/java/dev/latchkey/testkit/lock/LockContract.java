package dev.latchkey.testkit.lock;

import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockLostException;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.lock.LockProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lock contract: what every {@link LockProvider} guarantees, whatever its backend. A backend's
 * test extends this class and implements {@link #newProvider()}; the hooks of
 * {@link LockContractSupport} tune the rest. Argument checks and closed providers are in
 * {@link LockInputContract}, which this class extends, so a subclass runs every case.
 *
 * <pre>{@code
 * class LettuceLockContractTest extends LockContract {
 *     static RedisClient client = ...;                 // one server for the whole class
 *
 *     @Override
 *     protected LockProvider newProvider() {           // like another process: same server
 *         return RedisLockProvider.builder(client).keyPrefix("contract:").build();
 *     }
 * }
 * }</pre>
 *
 * <p>Every provider the contract gets is closed after the test; lock names carry a random suffix
 * (see {@link #namePrefix()}), so backends may share a server between tests and runs. Each test
 * checks one behaviour and its failure message names the invariant that broke.
 */
public abstract class LockContract extends LockInputContract {

    @Test
    void mutualExclusion_eightThreads_counterMatchesAndFencedStoreRejectsNothing() throws Exception {
        String name = uniqueName("mutex");
        int threads = 8;
        int perThread = acquisitionsPerThread();
        LockProvider[] providers = {provider(), provider(), provider(), provider()};
        FencedStore store = new FencedStore();
        AtomicInteger atomic = new AtomicInteger();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        int[] unprotected = {0};
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            DistributedLock lock = providers[t % providers.length].lock(name);
            workers.add(startThread("mutex-" + t, () -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    try (LockLease lease = lock.acquire(generousWait().multipliedBy(3))) {
                        if (inside.incrementAndGet() > 1) {
                            overlaps.incrementAndGet();
                        }
                        int read = unprotected[0];
                        Thread.yield();
                        unprotected[0] = read + 1;
                        store.write(lease.fencingToken());
                        atomic.incrementAndGet();
                        inside.decrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<Void> w : workers) {
            w.get(generousWait().toSeconds() * 12, TimeUnit.SECONDS);
        }
        assertThat(overlaps.get()).as("two holders were inside the critical section at once").isZero();
        assertThat(store.rejected()).as("the fenced store saw a token not larger than the last accepted"
                + " one (%s): holders overlapped or tokens went backwards", store.firstRejection()).isZero();
        assertThat(atomic.get()).as("acquisitions").isEqualTo(threads * perThread);
        assertThat(unprotected[0]).as("an unprotected counter lost updates: the lock let two holders in")
                .isEqualTo(atomic.get());
    }

    @Test
    void fencingToken_successiveHoldersOnOneProvider_strictlyIncreases() {
        DistributedLock lock = provider().lock(uniqueName("fence-one"));
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < 10; i++) {
            try (LockLease lease = lock.tryAcquire().orElseThrow(() -> new AssertionError("free lock not granted"))) {
                assertThat(lease.fencingToken()).as("fencing token of grant %d must exceed the previous grant's", i)
                        .isGreaterThan(previous);
                previous = lease.fencingToken();
            }
        }
    }

    @Test
    void fencingToken_acrossProviders_strictlyIncreases() {
        String name = uniqueName("fence-many");
        List<DistributedLock> locks = List.of(provider().lock(name), provider().lock(name), provider().lock(name));
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < 12; i++) {
            DistributedLock lock = locks.get(i % locks.size());
            try (LockLease lease = lock.tryAcquire().orElseThrow(() -> new AssertionError("free lock not granted"))) {
                assertThat(lease.fencingToken()).as("a grant through another provider (%d) must get a larger"
                        + " fencing token than the previous holder's", i).isGreaterThan(previous);
                previous = lease.fencingToken();
            }
        }
    }

    @Test
    void release_byOldLeaseAfterReacquire_doesNotReleaseNewGrant() {
        String name = uniqueName("old-lease");
        DistributedLock first = provider().lock(name);
        LockLease old = first.tryAcquire().orElseThrow();
        old.release();
        LockLease current = provider().lock(name).tryAcquire()
                .orElseThrow(() -> new AssertionError("a released lock was not granted again"));
        old.release();
        old.close();
        assertThat(old.extend(Duration.ofSeconds(5))).as("an old lease extended a grant it no longer holds").isFalse();
        assertThat(provider().lock(name).tryAcquire()).as("the old lease's release freed the new owner's grant")
                .isEmpty();
        assertThat(current.isHeld()).as("the new grant").isTrue();
    }

    @Test
    void releaseAndExtend_byWrongOwner_areRejectedByTheBackend() {
        String name = uniqueName("wrong-owner");
        LockProvider first = provider();
        LockLease stale = first.lock(name).tryAcquire().orElseThrow();
        breakLease(first, stale);
        LockLease current = provider().lock(name).tryAcquire()
                .orElseThrow(() -> new AssertionError("a broken lease still blocked the lock"));
        // The stale lease still believes it holds the grant, so these calls reach the backend with
        // the wrong owner token: the backend itself must refuse them.
        assertThat(stale.extend(Duration.ofSeconds(5))).as("a wrong owner extended the grant").isFalse();
        stale.release();
        assertThat(provider().lock(name).tryAcquire()).as("a wrong owner released another owner's grant").isEmpty();
        assertThat(current.isHeld()).isTrue();
        assertThat(stale.isHeld()).as("a lease whose extend failed must report not held").isFalse();
    }

    @Test
    void expiry_letsNextHolderIn_andOldLeaseReportsNotHeld() throws InterruptedException {
        String name = uniqueName("expiry");
        LockOptions shortLease = LockOptions.builder().leaseTime(shortLease()).build();
        LockLease old = provider().lock(name, shortLease).tryAcquire().orElseThrow();
        DistributedLock next = provider().lock(name);
        if (!leasesExpireOnBackendClock()) {
            sleep(shortLease().multipliedBy(2));
            assertThat(next.tryAcquire()).as("this backend's grant must outlast its lease time").isEmpty();
            old.release();
            assertThat(next.tryAcquire()).as("released grant").isPresent();
            return;
        }
        LockLease current = next.acquire(generousWait());
        assertThat(old.isHeld()).as("a lease past its lease time still reports held").isFalse();
        assertThatThrownBy(old::ensureHeld).isInstanceOf(LockLostException.class);
        assertThat(current.fencingToken()).as("the next holder's fencing token").isGreaterThan(old.fencingToken());
        old.release();
        assertThat(current.isHeld()).as("the expired lease's release freed the next holder's grant").isTrue();
        assertThat(provider().lock(name).tryAcquire()).as("the expired lease's release freed the next holder's grant")
                .isEmpty();
    }

    @Test
    void extend_beforeExpiry_keepsTheGrantPastItsFirstLeaseTime() throws InterruptedException {
        String name = uniqueName("extend");
        LockLease lease = provider().lock(name, LockOptions.builder().leaseTime(shortLease()).build())
                .tryAcquire().orElseThrow();
        assertThat(lease.extend(generousWait())).as("extend of a held lease").isTrue();
        sleep(shortLease().multipliedBy(2));
        assertThat(lease.isHeld()).as("an extended lease must still report held").isTrue();
        assertThat(provider().lock(name).tryAcquire()).as("another owner got an extended grant").isEmpty();
        lease.release();
    }

    @Test
    void release_calledTwice_isIdempotent() {
        String name = uniqueName("idempotent");
        LockLease lease = provider().lock(name).tryAcquire().orElseThrow();
        lease.release();
        lease.release();
        lease.close();
        assertThat(lease.isHeld()).isFalse();
        assertThat(lease.extend(Duration.ofSeconds(1))).as("extend after release").isFalse();
        assertThatThrownBy(lease::ensureHeld).isInstanceOf(LockLostException.class);
        assertThat(provider().lock(name).tryAcquire()).as("lock after repeated release").isPresent();
    }

    @Test
    void tryAcquire_whileHeldByOther_returnsEmptyWithoutBlocking() throws Exception {
        String name = uniqueName("no-block");
        LockLease held = provider().lock(name, LockOptions.builder().leaseTime(Duration.ofSeconds(60)).build())
                .tryAcquire().orElseThrow();
        DistributedLock other = provider().lock(name);
        Future<Optional<LockLease>> attempt = startThread("try-acquire", other::tryAcquire);
        assertThat(attempt.get(generousWait().toMillis(), TimeUnit.MILLISECONDS))
                .as("tryAcquire() on a held lock").isEmpty();
        assertThat(other.tryAcquire(Duration.ZERO)).as("tryAcquire(0) on a held lock").isEmpty();
        assertThat(held.isHeld()).isTrue();
    }

    @Test
    void waiter_isWokenByRelease_longBeforeTheHoldersLeaseExpires() throws Exception {
        String name = uniqueName("wake");
        LockLease held = provider().lock(name, LockOptions.builder().leaseTime(Duration.ofSeconds(30)).build())
                .tryAcquire().orElseThrow();
        DistributedLock waiterLock = provider().lock(name);
        AtomicLong grantedAt = new AtomicLong();
        Future<LockLease> waiter = startThread("waiter", () -> {
            LockLease l = waiterLock.acquire(Duration.ofSeconds(25));
            grantedAt.set(System.nanoTime());
            return l;
        });
        awaitParked(startedThread("waiter"));
        sleep(Duration.ofMillis(100));
        assertThat(waiter.isDone()).as("the waiter got a held lock").isFalse();
        long releasedAt = System.nanoTime();
        held.release();
        LockLease granted = waiter.get(25, TimeUnit.SECONDS);
        long afterRelease = grantedAt.get() - releasedAt;
        assertThat(afterRelease).as("the waiter must be granted after the release").isPositive();
        assertThat(Duration.ofNanos(afterRelease)).as("a waiter must be woken by the release, not by the holder's"
                + " 30 s lease running out").isLessThan(Duration.ofSeconds(5));
        assertThat(granted.fencingToken()).isGreaterThan(held.fencingToken());
    }

    @Test
    void interrupt_duringWait_throwsInterruptedExceptionAndLeaksNoGrant() throws Exception {
        String name = uniqueName("interrupt");
        LockLease held = provider().lock(name).tryAcquire().orElseThrow();
        DistributedLock waiterLock = provider().lock(name);
        Future<LockLease> waiter = startThread("interrupted", () -> waiterLock.acquire(Duration.ofSeconds(25)));
        Thread thread = startedThread("interrupted");
        awaitParked(thread);
        thread.interrupt();
        assertThatThrownBy(() -> waiter.get(generousWait().toMillis(), TimeUnit.MILLISECONDS))
                .as("an interrupted wait").isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InterruptedException.class);
        held.release();
        assertThat(provider().lock(name).tryAcquire()).as("the interrupted waiter left a grant behind").isPresent();
    }

    @Test
    void lockAll_overlappingSetsInOppositeOrders_neverDeadlock() throws Exception {
        String a = uniqueName("all-a");
        String b = uniqueName("all-b");
        String c = uniqueName("all-c");
        DistributedLock forward = provider().lockAll(List.of(a, b, c));
        DistributedLock backward = provider().lockAll(List.of(c, b, a));
        FencedStore store = new FencedStore();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> runs = new ArrayList<>();
        for (DistributedLock lock : List.of(forward, backward)) {
            runs.add(startThread("lockAll-" + runs.size(), () -> {
                start.await();
                for (int i = 0; i < 20; i++) {
                    try (LockLease lease = lock.acquire(generousWait())) {
                        store.write(lease.fencingTokens().get(b));
                        Thread.yield();
                    }
                }
                return 20;
            }));
        }
        start.countDown();
        for (Future<Integer> run : runs) {
            assertThat(run.get(generousWait().toSeconds() * 6, TimeUnit.SECONDS))
                    .as("lockAll in opposite orders must neither deadlock nor starve").isEqualTo(20);
        }
        assertThat(store.rejected()).as("two multi-lock holders overlapped on a shared name (%s)",
                store.firstRejection()).isZero();
    }

    @Test
    void lockAll_whenOneNameIsHeld_leavesNoneOfTheOthersHeld() throws InterruptedException {
        String a = uniqueName("none-a");
        String b = uniqueName("none-b");
        String c = uniqueName("none-c");
        LockLease blocker = provider().lock(b).tryAcquire().orElseThrow();
        DistributedLock all = provider().lockAll(List.of(a, b, c));
        assertThat(all.tryAcquire()).as("lockAll with one name held").isEmpty();
        assertThat(all.tryAcquire(shortLease())).as("lockAll waiting while one name stays held").isEmpty();
        LockProvider observer = provider();
        assertThat(observer.lock(a).tryAcquire()).as("a failed lockAll left '%s' held", a).isPresent();
        assertThat(observer.lock(c).tryAcquire()).as("a failed lockAll left '%s' held", c).isPresent();
        blocker.release();
    }

    @Test
    void lockAll_granted_holdsEveryNameWithItsOwnFencingToken() {
        String a = uniqueName("every-a");
        String b = uniqueName("every-b");
        LockProvider provider = provider();
        try (LockLease lease = provider.lockAll(List.of(b, a, b)).tryAcquire().orElseThrow()) {
            assertThat(lease.fencingTokens()).as("one fencing token per distinct name").containsOnlyKeys(a, b);
            LockProvider other = provider();
            assertThat(other.lock(a).tryAcquire()).as("'%s' under a multi-lock", a).isEmpty();
            assertThat(other.lock(b).tryAcquire()).as("'%s' under a multi-lock", b).isEmpty();
        }
        assertThat(provider().lock(a).tryAcquire()).as("'%s' after the multi-lock's release", a).isPresent();
    }

    @Test
    void autoRenew_keepsTheLeaseAliveAcrossSeveralLeaseTimes() throws InterruptedException {
        String name = uniqueName("renew");
        CompletableFuture<Throwable> lost = new CompletableFuture<>();
        LockOptions options = LockOptions.builder().leaseTime(autoRenewLease()).autoRenew(true)
                .leaseLostListener((lease, cause) -> lost.complete(cause)).build();
        LockLease lease = provider().lock(name, options).tryAcquire().orElseThrow();
        DistributedLock other = provider().lock(name);
        for (int i = 0; i < 6; i++) {
            sleep(autoRenewLease().dividedBy(2));
            assertThat(lease.isHeld()).as("an auto-renewed lease after %d half lease times", i + 1).isTrue();
        }
        assertThat(other.tryAcquire()).as("another owner got an auto-renewed grant").isEmpty();
        assertThat(lost).as("the lost-lease listener fired for a lease that was renewed").isNotDone();
        lease.release();
        assertThat(other.tryAcquire()).as("an auto-renewed lease after release").isPresent();
    }

    @Test
    void autoRenew_whenRenewalBecomesImpossible_reportsLossToTheListener() throws Exception {
        String name = uniqueName("renew-lost");
        CompletableFuture<LockLease> lost = new CompletableFuture<>();
        LockOptions options = LockOptions.builder().leaseTime(autoRenewLease()).autoRenew(true)
                .leaseLostListener((l, cause) -> lost.complete(l)).build();
        LockProvider provider = provider();
        LockLease lease = provider.lock(name, options).tryAcquire().orElseThrow();
        breakLease(provider, lease);
        LockLease reported = lost.get(generousWait().toMillis(), TimeUnit.MILLISECONDS);
        assertThat(reported).as("the listener must be told which lease was lost").isSameAs(lease);
        assertThat(lease.isHeld()).as("a lease reported lost").isFalse();
        assertThatThrownBy(lease::ensureHeld).isInstanceOf(LockLostException.class);
        assertThat(provider().lock(name).tryAcquire()).as("the name of a lost lease").isPresent();
    }

    @Test
    void lease_releasedOnAnotherThread_freesTheLock() throws Exception {
        String name = uniqueName("other-thread");
        LockLease lease = provider().lock(name).tryAcquire().orElseThrow();
        startThread("releaser", () -> {
            lease.release();
            return null;
        }).get(generousWait().toMillis(), TimeUnit.MILLISECONDS);
        assertThat(provider().lock(name).tryAcquire()).as("ownership must follow the lease, not the thread")
                .isPresent();
    }
}
