package dev.latchkey.benchmarks.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N contenders (each its own client, like N processes), one thread each, on one lock: acquire, a
 * short critical section, release, in a loop. After a warm-up it measures for a fixed time. The
 * critical section checks mutual exclusion (an unprotected counter next to an atomic one), so a
 * lock that lets two holders in shows up as violations instead of a good figure.
 */
final class ContendedRun {

    private ContendedRun() {
    }

    /** What one run measured. Waits are in nanoseconds, sorted. */
    record Result(String label, int contenders, double seconds, long[] perContender, long[] waits,
                  long violations, Map<String, Long> commands) {

        long acquisitions() {
            return Arrays.stream(perContender).sum();
        }

        double handoffsPerSecond() {
            return acquisitions() / seconds;
        }

        double waitMillis(double percentile) {
            if (waits.length == 0) {
                return 0;
            }
            return waits[Math.min(waits.length - 1, (int) (waits.length * percentile))] / 1e6;
        }

        double maxWaitMillis() {
            return waits.length == 0 ? 0 : waits[waits.length - 1] / 1e6;
        }

        long minPerContender() {
            return Arrays.stream(perContender).min().orElse(0);
        }

        long maxPerContender() {
            return Arrays.stream(perContender).max().orElse(0);
        }

        double commandsPerAcquisition() {
            long total = commands.values().stream().mapToLong(Long::longValue).sum();
            return (double) total / Math.max(1, acquisitions());
        }
    }

    /**
     * Runs {@code contenders} contenders made by {@code factory} against {@code host:port}. With a
     * non-null {@code counter} (a proxy at {@code host:port}) also counts the commands clients sent
     * during the measured window.
     */
    static Result run(String label, Contender.Factory factory, String host, int port, String lockName,
                      int contenders, long warmupMillis, long measureMillis, ClientCommands counter)
            throws Exception {
        List<Contender> opened = new ArrayList<>();
        try {
            for (int i = 0; i < contenders; i++) {
                opened.add(factory.open(host, port, lockName));
            }
            return measure(label, opened, warmupMillis, measureMillis, counter);
        } finally {
            for (Contender c : opened) {
                c.close();
            }
        }
    }

    private static Result measure(String label, List<Contender> contenders, long warmupMillis, long measureMillis,
                                  ClientCommands counter) throws Exception {
        int n = contenders.size();
        long[] counts = new long[n];
        long[][] waits = new long[n][];
        int[] sizes = new int[n];
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger inside = new AtomicInteger();
        AtomicLong violations = new AtomicLong();
        long[] unprotected = new long[1];
        AtomicLong guarded = new AtomicLong();
        CountDownLatch done = new CountDownLatch(n);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            final int id = p;
            final Contender contender = contenders.get(p);
            waits[id] = new long[1 << 14];
            threads.add(new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        contender.acquire();
                        long waited = System.nanoTime() - start;
                        // The critical section: a read-modify-write that only a lock keeps exact.
                        if (inside.incrementAndGet() != 1) {
                            violations.incrementAndGet();
                        }
                        unprotected[0] = unprotected[0] + 1;
                        guarded.incrementAndGet();
                        inside.decrementAndGet();
                        contender.release();
                        if (measuring.get()) {
                            counts[id]++;
                            if (sizes[id] == waits[id].length) {
                                waits[id] = Arrays.copyOf(waits[id], sizes[id] * 2);
                            }
                            waits[id][sizes[id]++] = waited;
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                    stop.set(true);
                } finally {
                    done.countDown();
                }
            }, "contender-" + p));
        }
        threads.forEach(Thread::start);
        Thread.sleep(warmupMillis);
        if (counter != null) {
            counter.reset();
        }
        long t0 = System.nanoTime();
        measuring.set(true);
        Thread.sleep(measureMillis);
        measuring.set(false);
        long elapsed = System.nanoTime() - t0;
        Map<String, Long> commands = counter == null ? Map.of() : counter.byName();
        stop.set(true);
        done.await();
        if (!failures.isEmpty()) {
            throw new IllegalStateException(label + ": a contender failed", failures.peek());
        }
        if (unprotected[0] != guarded.get()) {
            violations.incrementAndGet();
        }
        long[] all = new long[Arrays.stream(sizes).sum()];
        int k = 0;
        for (int p = 0; p < n; p++) {
            System.arraycopy(waits[p], 0, all, k, sizes[p]);
            k += sizes[p];
        }
        Arrays.sort(all);
        return new Result(label, n, elapsed / 1e9, counts, all, violations.get(), commands);
    }
}
