package dev.latchkey.lock.internal;

import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.lock.spi.BackendLockProvider;
import org.junit.jupiter.api.RepeatedTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wake-ups alone must keep a queue of waiters moving. With the poll fallback set to an hour and
 * 30 s leases, and every patient waiter acquiring only once (so no thread barges back in right
 * after its own release), a release that wakes nobody leaves the rest asleep for 30 s and the
 * test times out (checked by disabling the signal: it does). Impatient waiters with random
 * sub-millisecond waits give up and leave in between. The hand-over of a wake-up by a waiter
 * that leaves without using it is pinned deterministically in {@link LocalLockTableTest}.
 */
class LocalLockWakeUpTest {

    @RepeatedTest(3)
    void handoffs_withNoPollFallback_neverStall_evenWhenWaitersGiveUp() throws Exception {
        LocalLockTable table = new LocalLockTable();
        try (BackendLockProvider provider = BackendLockProvider.builder(table)
                .maxPollInterval(Duration.ofHours(1))
                .defaults(LockOptions.builder().leaseTime(Duration.ofSeconds(30)).build())
                .build()) {
            DistributedLock lock = provider.lock("queue");
            int patient = 200;
            AtomicInteger granted = new AtomicInteger();
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService pool = Executors.newCachedThreadPool();
            try {
                List<Future<?>> impatient = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    impatient.add(pool.submit(() -> {
                        while (!done.get()) {
                            long wait = ThreadLocalRandom.current().nextLong(5_000, 200_000);
                            Optional<LockLease> lease = lock.tryAcquire(Duration.ofNanos(wait));
                            lease.ifPresent(LockLease::release);
                        }
                        return null;
                    }));
                }
                List<Future<?>> runs = new ArrayList<>();
                for (int t = 0; t < patient; t++) {
                    runs.add(pool.submit(() -> {
                        try (LockLease lease = lock.acquire(Duration.ofMinutes(5))) {
                            granted.incrementAndGet();
                            LockSupport.parkNanos(100_000);
                        }
                        return null;
                    }));
                }
                for (Future<?> run : runs) {
                    run.get(20, TimeUnit.SECONDS);
                }
                done.set(true);
                for (Future<?> run : impatient) {
                    run.get(20, TimeUnit.SECONDS);
                }
            } finally {
                done.set(true);
                pool.shutdownNow();
            }
            assertThat(granted.get()).isEqualTo(patient);
            assertThat(table.size()).isZero();
            assertThat(table.waitedNames()).as("subscriptions left behind").isZero();
        }
    }
}
