package dev.latchkey.lock.internal;

import dev.latchkey.lock.spi.AcquireResult;
import dev.latchkey.lock.spi.ReleaseSignals.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LocalLockTableTest {

    private static final Duration LONG = Duration.ofSeconds(30);
    private final LocalLockTable table = new LocalLockTable();

    @Test
    void releasedNames_areEvicted_soAMillionDistinctNamesLeaveTheTableEmpty() {
        for (int i = 0; i < 1_000_000; i++) {
            String name = "name-" + i;
            AcquireResult r = table.tryAcquire(name, "owner", LONG);
            assertThat(r.isAcquired()).isTrue();
            assertThat(table.release(name, "owner", null)).isTrue();
        }
        assertThat(table.size()).as("grants left after releasing every name").isZero();
        assertThat(table.waitedNames()).as("waiter queues left").isZero();
    }

    @Test
    void expiredNames_neverReleased_areSweptByTheNextGrant() throws InterruptedException {
        for (int i = 0; i < 200_000; i++) {
            table.tryAcquire("expiring-" + i, "owner", Duration.ofMillis(10));
        }
        assertThat(table.size()).as("a sweep runs whenever the table doubles").isLessThanOrEqualTo(200_000);
        // Past the lease, and past the timed sweep's interval (1 s, or 20 times the last sweep).
        Thread.sleep(2_500);
        table.tryAcquire("fresh", "owner", LONG);
        assertThat(table.size()).as("grants left after 200,000 expired and one new grant").isEqualTo(1);
    }

    @Test
    void fencingToken_afterTheNameWasEvicted_stillIncreases() throws InterruptedException {
        long first = table.tryAcquire("n", "a", LONG).fencingToken();
        table.release("n", "a", null);
        assertThat(table.size()).isZero();
        long second = table.tryAcquire("n", "b", Duration.ofMillis(10)).fencingToken();
        assertThat(second).isGreaterThan(first);
        Thread.sleep(30);
        table.sweep();
        assertThat(table.size()).as("expired grant after a sweep").isZero();
        long third = table.tryAcquire("n", "c", LONG).fencingToken();
        assertThat(third).as("token after an expired grant was taken over").isGreaterThan(second);
    }

    @Test
    void releaseAndExtend_withAnotherOwnersToken_changeNothing() {
        long token = table.tryAcquire("n", "a", LONG).fencingToken();
        assertThat(table.release("n", "b", null)).isFalse();
        assertThat(table.extend("n", "b", null, LONG)).isFalse();
        AcquireResult again = table.tryAcquire("n", "b", LONG);
        assertThat(again.isAcquired()).isFalse();
        assertThat(again.heldName()).isEqualTo("n");
        assertThat(again.remainingMillis()).isBetween(1L, 30_000L);
        assertThat(table.extend("n", "a", null, LONG)).isTrue();
        assertThat(table.release("n", "a", null)).isTrue();
        assertThat(table.tryAcquire("n", "b", LONG).fencingToken()).isGreaterThan(token);
    }

    @Test
    void release_wakesExactlyOneWaiter() throws InterruptedException {
        table.tryAcquire("n", "holder", LONG);
        Subscription first = table.subscribe("n");
        Subscription second = table.subscribe("n");
        Subscription third = table.subscribe("n");
        table.release("n", "holder", null);
        assertThat(first.await(0)).as("the oldest waiter is woken").isTrue();
        assertThat(second.await(1_000_000)).as("a second waiter woken by one release: a herd").isFalse();
        assertThat(third.await(1_000_000)).isFalse();
        first.close();
        second.close();
        third.close();
        assertThat(table.waitedNames()).isZero();
    }

    @Test
    void waiterLeavingWithAnUnconsumedWakeUp_passesItToTheNextWaiter() throws InterruptedException {
        table.tryAcquire("n", "holder", LONG);
        Subscription leaving = table.subscribe("n");
        Subscription staying = table.subscribe("n");
        table.release("n", "holder", null);
        leaving.close();
        assertThat(staying.await(TimeUnit.SECONDS.toNanos(5))).as("the wake-up the leaving waiter never used").isTrue();
        staying.close();
    }

    @Test
    void waiter_interrupted_throwsInterruptedException() {
        Subscription s = table.subscribe("n");
        Thread.currentThread().interrupt();
        try {
            s.await(TimeUnit.SECONDS.toNanos(5));
            throw new AssertionError("await ignored the interrupt");
        } catch (InterruptedException expected) {
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        } finally {
            s.close();
        }
    }

    /**
     * The classic keyed-lock-map race: holders release (evicting the entry) while others acquire
     * the same few names, and short leases expire and get taken over. No two owners may ever
     * believe they hold one name at the same time.
     */
    @Test
    void evictionUnderContention_neverLetsTwoHoldersIn() throws Exception {
        int threads = 4;
        String[] names = {"a", "b", "c"};
        AtomicInteger[] inside = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger grants = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String owner = "owner-" + t;
            runs.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 100_000; i++) {
                    int k = i % names.length;
                    if (table.tryAcquire(names[k], owner, LONG).isAcquired()) {
                        grants.incrementAndGet();
                        if (inside[k].incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        inside[k].decrementAndGet();
                        table.release(names[k], owner, null);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> run : runs) {
            run.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(overlaps.get()).as("two owners held one name at once (of %d grants)", grants.get()).isZero();
        assertThat(table.size()).isZero();
    }
}
