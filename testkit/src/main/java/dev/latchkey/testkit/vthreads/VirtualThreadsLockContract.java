package dev.latchkey.testkit.vthreads;

import static dev.latchkey.testkit.vthreads.VirtualThreads.currentIsVirtual;
import static dev.latchkey.testkit.vthreads.VirtualThreads.newPerTaskExecutor;
import static dev.latchkey.testkit.vthreads.VirtualThreads.pinnedParksInLibrary;
import static dev.latchkey.testkit.vthreads.VirtualThreads.runAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockProvider;
import dev.latchkey.testkit.lock.FencedStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A lock backend used from virtual threads, the same three checks on every backend: mutual
 * exclusion with many holders (an unprotected counter against an atomic one, and a fenced store
 * that rejects any token not larger than the last one), ownership not bound to a thread, and
 * waiters that unmount from their carriers. The build's {@code jdk25} execution runs subclasses
 * with two carriers and no compensating ones
 * ({@code -Djdk.virtualThreadScheduler.parallelism=2 -Djdk.virtualThreadScheduler.maxPoolSize=2}),
 * so a waiter that pinned its carrier would stall the test until its liveness bound fails it.
 *
 * <p>A backend's test extends this class, supplies {@link #newProvider()} and carries
 * {@code @EnabledForJreRange(min = JRE.JAVA_21)} (virtual threads need JDK 21; the code is Java 17
 * bytecode and reaches them through {@link VirtualThreads}).
 */
public abstract class VirtualThreadsLockContract {

    /** A liveness bound for one test, not a speed claim. */
    protected static final Duration BOUND = Duration.ofSeconds(60);

    private final List<LockProvider> providers = new ArrayList<>();

    /**
     * A new provider on the backend under test; every provider of one test must see the same
     * names, like two processes. The contract closes each one after the test.
     */
    protected abstract LockProvider newProvider();

    /** How many virtual threads each take the lock once in the mutual-exclusion test. Default 1,000. */
    protected int holders() {
        return 1_000;
    }

    @AfterEach
    void closeProviders() {
        providers.forEach(LockProvider::close);
        providers.clear();
    }

    private LockProvider provider() {
        LockProvider p = newProvider();
        providers.add(p);
        return p;
    }

    private static String uniqueName(String what) {
        return "vthreads-" + what + "-" + UUID.randomUUID();
    }

    @Test
    void acquire_manyVirtualThreadsOnOneName_counterMatchesAndFencedStoreRejectsNothing() throws Exception {
        String name = uniqueName("mutex");
        // Two providers stand for two processes; each virtual thread uses one of them.
        DistributedLock[] locks = {provider().lock(name), provider().lock(name)};
        FencedStore store = new FencedStore();
        AtomicInteger atomic = new AtomicInteger();
        int[] unprotected = {0};
        int threads = holders();

        List<Boolean> virtual = runAll(threads, BOUND, i -> () -> {
            try (LockLease lease = locks[i % 2].acquire(BOUND)) {
                int read = unprotected[0];
                Thread.yield();
                unprotected[0] = read + 1;
                store.write(lease.fencingToken());
                atomic.incrementAndGet();
            }
            return currentIsVirtual();
        });

        assertThat(virtual).as("every holder ran on a virtual thread").containsOnly(true);
        assertThat(atomic.get()).as("acquisitions").isEqualTo(threads);
        assertThat(unprotected[0]).as("an unprotected counter lost updates: the lock let two virtual threads in")
                .isEqualTo(atomic.get());
        assertThat(store.rejected()).as("the fenced store saw a token not larger than the last one (%s)",
                store.firstRejection()).isZero();
    }

    @Test
    void release_onAnotherVirtualThread_freesTheLockForTheNextHolder() throws Exception {
        DistributedLock lock = provider().lock(uniqueName("handoff"));
        ExecutorService executor = newPerTaskExecutor();
        try {
            LockLease lease = CompletableFuture.supplyAsync(() -> lock.tryAcquire()
                    .orElseThrow(() -> new AssertionError("free lock not granted")), executor).get(10, TimeUnit.SECONDS);
            assertThat(lock.tryAcquire()).as("held by the first virtual thread").isEmpty();

            CompletableFuture.runAsync(lease::release, executor).get(10, TimeUnit.SECONDS);

            assertThat(lease.isHeld()).as("released from another virtual thread").isFalse();
            try (LockLease next = CompletableFuture.supplyAsync(() -> lock.tryAcquire().orElse(null), executor)
                    .get(10, TimeUnit.SECONDS)) {
                assertThat(next).as("a third virtual thread gets the lock once another released it").isNotNull();
                assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void acquire_twoHundredWaitersOnTwoCarriers_allFinishWithoutPinningInLibraryCode() throws Exception {
        DistributedLock lock = provider().lock(uniqueName("waiters"));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        int waiters = 200;
        warmUpWaiting(lock);

        List<String> pinned = pinnedParksInLibrary(() -> runAll(waiters, BOUND, i -> () -> {
            try (LockLease lease = lock.acquire(BOUND)) {
                if (inside.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                lease.ensureHeld();
                Thread.sleep(1); // held briefly: the other waiters stay parked meanwhile
                inside.decrementAndGet();
            }
            return done.incrementAndGet();
        }));

        assertThat(done.get()).as("waiters that got the lock").isEqualTo(waiters);
        assertThat(overlaps.get()).as("two holders were inside at once").isZero();
        assertThat(pinned).as("virtual threads blocked while pinned to their carrier in library code").isEmpty();
    }

    /**
     * One wait on a held lock, outside the recording: the first use of a backend's waiting classes
     * initializes them, and virtual threads that wait for another thread's class initializer are
     * pinned by the JVM on every JDK. That one-time effect is not what the check is about.
     */
    private static void warmUpWaiting(DistributedLock lock) throws Exception {
        try (LockLease held = lock.acquire(BOUND)) {
            runAll(2, BOUND, i -> () -> lock.tryAcquire(Duration.ofMillis(20)).map(l -> {
                l.release();
                return true;
            }).orElse(false));
        }
    }
}
