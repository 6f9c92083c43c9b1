package dev.latchkey.benchmarks.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One contended run: {@value #PROVIDERS} separate pools (as 8 processes would have), one lock
 * client on each, one thread per client, all after one name for a bounded time. Each acquisition
 * runs a short critical section that checks mutual exclusion (an unprotected counter against an
 * atomic one, and a count of overlaps) and optionally spins {@code holdMicros}. Prints
 * acquisitions per second, the wait from the start of an acquire call to the grant (p50, p99, max),
 * acquisitions per client (min and max) and client round trips per acquisition.
 */
final class ContendedRun {

    static final int PROVIDERS = 8;

    /** A lock library under test, as one application would set it up on its own pool. */
    interface Peer {
        String label();

        /** Creates what the peer needs (its table); called once per run on a separate connection. */
        default void setUp(DataSource admin) throws Exception {
        }

        Client open(DataSource dataSource, String lockName) throws Exception;
    }

    /** One application's lock client for one name. */
    interface Client extends AutoCloseable {
        /** Takes the lock within {@code maxWait}; returns its release, or null on timeout. */
        Runnable acquire(Duration maxWait) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    /** What one run measured. */
    record Result(String label, double perSecond, long total, double p50Ms, double p99Ms, double maxMs,
                  long minPerClient, long maxPerClient, double roundTripsPerAcquisition, long timeouts,
                  long overlaps, boolean countersAgree) {

        String row() {
            return String.format(Locale.ROOT, "  %-50s %7.0f /s  p50 %7.2f  p99 %8.2f  max %8.2f ms"
                            + "  per client %5d..%-5d  %5.1f trips/acq  timeouts %d%s",
                    label, perSecond, p50Ms, p99Ms, maxMs, minPerClient, maxPerClient, roundTripsPerAcquisition,
                    timeouts, overlaps == 0 && countersAgree ? "" : "  MUTUAL EXCLUSION BROKEN (" + overlaps + " overlaps)");
        }
    }

    private ContendedRun() {
    }

    static Result run(String url, Peer peer, Duration length, long holdMicros) throws Exception {
        String name = "bench-" + UUID.randomUUID().toString().substring(0, 18);
        List<HikariDataSource> pools = new ArrayList<>();
        List<CountingDataSource> counted = new ArrayList<>();
        List<Client> clients = new ArrayList<>();
        try {
            try (HikariDataSource admin = pool(url, 1)) {
                peer.setUp(admin);
            }
            for (int i = 0; i < PROVIDERS; i++) {
                HikariDataSource p = pool(url, 3);
                pools.add(p);
                CountingDataSource c = new CountingDataSource(p);
                counted.add(c);
                clients.add(peer.open(c, name));
            }
            // Create the name's row (where the peer has one) and warm the code paths up.
            for (Client c : clients) {
                Runnable release = c.acquire(Duration.ofSeconds(5));
                if (release == null) {
                    throw new IllegalStateException(peer.label() + ": warm-up acquire timed out");
                }
                release.run();
            }
            long tripsBefore = counted.stream().mapToLong(CountingDataSource::roundTrips).sum();
            long[] counts = new long[PROVIDERS];
            long[] timeouts = new long[PROVIDERS];
            long[][] waits = new long[PROVIDERS][];
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            AtomicInteger atomic = new AtomicInteger();
            AtomicLong done = new AtomicLong();
            int[] unprotected = new int[1];
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < PROVIDERS; i++) {
                int id = i;
                Client client = clients.get(i);
                Thread t = new Thread(() -> {
                    long[] w = new long[1 << 18];
                    int k = 0;
                    try {
                        start.await();
                        while (!stop.get()) {
                            long t0 = System.nanoTime();
                            Runnable release = client.acquire(Duration.ofSeconds(5));
                            if (release == null) {
                                timeouts[id]++;
                                continue;
                            }
                            if (k < w.length) {
                                w[k++] = System.nanoTime() - t0;
                            }
                            counts[id]++;
                            done.incrementAndGet();
                            try {
                                if (inside.incrementAndGet() != 1) {
                                    overlaps.incrementAndGet();
                                }
                                unprotected[0]++;
                                atomic.incrementAndGet();
                                spin(holdMicros);
                                inside.decrementAndGet();
                            } finally {
                                release.run();
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                    waits[id] = Arrays.copyOf(w, k);
                }, "contender-" + i);
                threads.add(t);
                t.start();
            }
            long t0 = System.nanoTime();
            start.countDown();
            String midRunSql = System.getProperty("latchkey.bench.midRunSql", "");
            long at = Long.getLong("latchkey.bench.midRunAfterMillis", length.toMillis() / 2);
            if (midRunSql.isEmpty() || at >= length.toMillis()) {
                // (A run no longer than the point of the statement, such as a warm-up, goes without.)
                Thread.sleep(length.toMillis());
            } else {
                // A statement run once, part-way (say an ANALYZE, as autovacuum would run one on a
                // busy table): the rate before it and after it, printed apart.
                Thread.sleep(at);
                long before = done.get();
                double beforeSeconds = (System.nanoTime() - t0) / 1e9;
                try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                    st.execute(midRunSql);
                }
                long t1 = System.nanoTime();
                Thread.sleep(length.toMillis() - at);
                System.out.printf(Locale.ROOT, "  %s: %.0f /s before \"%s\", %.0f /s after it%n", peer.label(),
                        before / beforeSeconds, midRunSql, (done.get() - before) / ((System.nanoTime() - t1) / 1e9));
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join(15_000);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (failure.get() != null) {
                throw new IllegalStateException(peer.label() + " failed", failure.get());
            }
            long trips = counted.stream().mapToLong(CountingDataSource::roundTrips).sum() - tripsBefore;
            long total = Arrays.stream(counts).sum();
            long[] all = Arrays.stream(waits).filter(w -> w != null).flatMapToLong(Arrays::stream).sorted().toArray();
            return new Result(peer.label(), total / seconds, total, pct(all, 0.50), pct(all, 0.99),
                    all.length == 0 ? 0 : all[all.length - 1] / 1e6,
                    Arrays.stream(counts).min().orElse(0), Arrays.stream(counts).max().orElse(0),
                    (double) trips / Math.max(1, total), Arrays.stream(timeouts).sum(), overlaps.get(),
                    unprotected[0] == atomic.get());
        } finally {
            for (Client c : clients) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println(peer.label() + ": close failed: " + e);
                }
            }
            pools.forEach(HikariDataSource::close);
        }
    }

    private static void spin(long micros) {
        if (micros <= 0) {
            return;
        }
        long end = System.nanoTime() + micros * 1_000;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }

    static HikariDataSource pool(String url, int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(10_000);
        return new HikariDataSource(c);
    }
}
