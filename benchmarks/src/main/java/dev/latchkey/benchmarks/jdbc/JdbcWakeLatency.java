package dev.latchkey.benchmarks.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.jdbc.JdbcLockProvider;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * LEASE mode on PostgreSQL, two providers (two pools, as two processes would have) and one waiter:
 * how long from a release to the waiter holding the lock, when the releaser does not want it
 * again. With the default {@code handOffAfter} the waiter is younger than the delay, so the release
 * leaves the lock free and the releasing provider wakes the waiter a moment later; with
 * {@code handOffAfter(Duration.ZERO)} the release hands the lock to it. Each round takes a new
 * name, holds it for 30 ms while the waiter queues, then releases. Prints figures; asserts nothing.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/bench-cp.txt) dev.latchkey.benchmarks.jdbc.JdbcWakeLatency \
 *     [jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres]
 * </pre>
 */
public final class JdbcWakeLatency {

    private static final String TABLE = "latchkey_bench_wake_locks";
    private static final int ROUNDS = 30;

    private JdbcWakeLatency() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
        System.out.println("JdbcWakeLatency: release -> waiter holds the lock, " + ROUNDS + " rounds each, 2 providers");
        try {
            for (Duration handOffAfter : new Duration[] {null, Duration.ZERO}) {
                long[] micros = rounds(url, handOffAfter);
                Arrays.sort(micros);
                System.out.printf(Locale.ROOT, "  handOffAfter %-13s p50 %6.2f  p90 %6.2f  max %6.2f ms%n",
                        handOffAfter == null ? "default" : handOffAfter.toMillis() + " ms",
                        micros[ROUNDS / 2] / 1e3, micros[ROUNDS * 9 / 10] / 1e3, micros[ROUNDS - 1] / 1e3);
            }
        } finally {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + TABLE);
                s.execute("DROP TABLE IF EXISTS " + TABLE + "_queue");
                s.execute("DROP SEQUENCE IF EXISTS " + TABLE + "_fencing");
            }
        }
    }

    /** One provider holds and releases, the other waits; the release-to-hold time of each round, in us. */
    private static long[] rounds(String url, Duration handOffAfter) throws Exception {
        ExecutorService waiterThread = Executors.newSingleThreadExecutor();
        try (HikariDataSource holderPool = ContendedRun.pool(url, 3);
             HikariDataSource waiterPool = ContendedRun.pool(url, 3);
             JdbcLockProvider holder = provider(holderPool, handOffAfter);
             JdbcLockProvider waiter = provider(waiterPool, handOffAfter)) {
            long[] micros = new long[ROUNDS];
            for (int i = -3; i < ROUNDS; i++) { // three unmeasured rounds start the listener and warm up
                String name = "wake-" + UUID.randomUUID();
                LockLease held = holder.lock(name).tryAcquire().orElseThrow();
                Future<Long> holds = waiterThread.submit(() -> {
                    LockLease lease = waiter.lock(name).tryAcquire(Duration.ofSeconds(10))
                            .orElseThrow(() -> new IllegalStateException("the waiter never got " + name));
                    long at = System.nanoTime();
                    lease.release();
                    return at;
                });
                Thread.sleep(30);
                long released = System.nanoTime();
                held.release();
                long took = (holds.get() - released) / 1_000;
                if (i >= 0) {
                    micros[i] = took;
                }
            }
            return micros;
        } finally {
            waiterThread.shutdownNow();
        }
    }

    private static JdbcLockProvider provider(HikariDataSource pool, Duration handOffAfter) {
        JdbcLockProvider.Builder b = JdbcLockProvider.builder(pool).tableName(TABLE).createTableIfMissing(true);
        if (handOffAfter != null) {
            b.handOffAfter(handOffAfter);
        }
        return b.build();
    }
}
