package dev.latchkey.benchmarks;

import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockProvider;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Release to a lone waiter holding the lock, between two providers of one backend (as two processes
 * would have): each round takes a new name on {@code holder}, starts a waiter on {@code waiter},
 * holds for a while so the waiter queues, releases, and times until the waiter holds the lock.
 */
public final class WakeRounds {

    private WakeRounds() {
    }

    /** "p50 .. p90 .. max .. ms" of sorted release-to-hold times in microseconds, as {@link #measure} returns them. */
    public static String summary(long[] micros) {
        int n = micros.length;
        return String.format(Locale.ROOT, "p50 %6.2f  p90 %6.2f  max %6.2f ms",
                micros[n / 2] / 1e3, micros[n * 9 / 10] / 1e3, micros[n - 1] / 1e3);
    }

    /**
     * Runs three unmeasured rounds, then {@code rounds} measured ones.
     *
     * @return the release-to-hold times in microseconds, sorted
     */
    public static long[] measure(LockProvider holder, LockProvider waiter, int rounds, long holdMillis)
            throws Exception {
        ExecutorService waiterThread = Executors.newSingleThreadExecutor();
        try {
            long[] micros = new long[rounds];
            for (int i = -3; i < rounds; i++) {
                String name = "wake-" + UUID.randomUUID();
                LockLease held = holder.lock(name).tryAcquire().orElseThrow();
                Future<Long> holds = waiterThread.submit(() -> {
                    LockLease lease = waiter.lock(name).tryAcquire(Duration.ofSeconds(10))
                            .orElseThrow(() -> new IllegalStateException("the waiter never got " + name));
                    long at = System.nanoTime();
                    lease.release();
                    return at;
                });
                Thread.sleep(holdMillis);
                long released = System.nanoTime();
                held.release();
                long took = (holds.get() - released) / 1_000;
                if (i >= 0) {
                    micros[i] = took;
                }
            }
            Arrays.sort(micros);
            return micros;
        } finally {
            waiterThread.shutdownNow();
        }
    }
}
