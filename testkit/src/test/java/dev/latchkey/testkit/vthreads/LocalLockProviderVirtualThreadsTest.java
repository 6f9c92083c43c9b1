package dev.latchkey.testkit.vthreads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.LocalLockProvider;
import dev.latchkey.lock.LockLease;
import dev.latchkey.testkit.lock.FencedStore;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * The in-JVM lock used from virtual threads: ownership is not bound to a thread, waiters unmount
 * from their carriers instead of pinning them, and mutual exclusion holds with a thousand holders.
 * The build's {@code jdk25} execution runs it with two carriers and no compensating ones
 * ({@code -Djdk.virtualThreadScheduler.parallelism=2 -Djdk.virtualThreadScheduler.maxPoolSize=2}),
 * so a waiter that pinned its carrier would stall the test.
 */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need JDK 21 or later")
class LocalLockProviderVirtualThreadsTest {

    /** A liveness bound for a whole test, not a speed claim: the runs take well under a second. */
    private static final Duration BOUND = Duration.ofSeconds(60);

    private final LocalLockProvider provider = new LocalLockProvider();

    @AfterEach
    void close() {
        provider.close();
    }

    private static String uniqueName(String what) {
        return "vthreads-" + what + "-" + UUID.randomUUID();
    }

    @Test
    void acquire_thousandVirtualThreadsOnOneName_counterMatchesAndFencedStoreRejectsNothing() throws Exception {
        DistributedLock lock = provider.lock(uniqueName("mutex"));
        FencedStore store = new FencedStore();
        AtomicInteger atomic = new AtomicInteger();
        int[] unprotected = {0};
        int threads = 1_000;

        List<Boolean> virtual = VirtualThreads.runAll(threads, BOUND, i -> () -> {
            try (LockLease lease = lock.acquire(BOUND)) {
                int read = unprotected[0];
                Thread.yield();
                unprotected[0] = read + 1;
                store.write(lease.fencingToken());
                atomic.incrementAndGet();
            }
            return VirtualThreads.currentIsVirtual();
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
        DistributedLock lock = provider.lock(uniqueName("handoff"));
        ExecutorService executor = VirtualThreads.newPerTaskExecutor();
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
    void acquire_twoHundredWaitersOnTwoCarriers_allFinish() throws Exception {
        DistributedLock lock = provider.lock(uniqueName("waiters"));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        int waiters = 200;
        assertThat(waiters).as("more waiting virtual threads than carriers")
                .isGreaterThan(Runtime.getRuntime().availableProcessors());

        List<Integer> done = VirtualThreads.runAll(waiters, BOUND, i -> () -> {
            try (LockLease lease = lock.acquire(BOUND)) {
                if (inside.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                lease.ensureHeld();
                Thread.sleep(1); // held briefly: the other 199 stay parked meanwhile
                inside.decrementAndGet();
            }
            return i;
        });

        assertThat(done).hasSize(waiters);
        assertThat(overlaps.get()).as("two holders were inside at once").isZero();
    }

    @Test
    void acquire_contendedOnVirtualThreads_neverPinsACarrierInLibraryCode() throws Exception {
        DistributedLock lock = provider.lock(uniqueName("pinning"));
        AtomicInteger atomic = new AtomicInteger();

        List<String> pinned = VirtualThreads.pinnedParksInLibrary(() -> VirtualThreads.runAll(200, BOUND, i -> () -> {
            try (LockLease lease = lock.acquire(BOUND)) {
                lease.ensureHeld();
                Thread.sleep(1);
                return atomic.incrementAndGet();
            }
        }));

        assertThat(atomic.get()).isEqualTo(200);
        assertThat(pinned).as("virtual threads blocked while pinned to their carrier in library code").isEmpty();
    }

    /**
     * The pinning check above can fail: a virtual thread that sleeps inside a class initializer is
     * pinned on every JDK from 21 on, and the recording reports it.
     */
    @Test
    void pinnedParks_parkInsideAClassInitializer_isReported() throws Exception {
        List<String> pinned = VirtualThreads.pinnedParks(type -> type.equals(SlowToInitialize.class.getName()),
                () -> VirtualThreads.runAll(1, BOUND, i -> () -> SlowToInitialize.VALUE));

        assertThat(pinned).as("the recording saw the pinned park").isNotEmpty();
    }

    /** Sleeps while being initialized: its first user parks pinned to its carrier. */
    private static final class SlowToInitialize {
        static final int VALUE = initialize();

        private static int initialize() {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        }
    }
}
