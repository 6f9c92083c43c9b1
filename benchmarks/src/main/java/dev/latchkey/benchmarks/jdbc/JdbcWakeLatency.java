package dev.latchkey.benchmarks.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.benchmarks.WakeRounds;
import dev.latchkey.lock.jdbc.JdbcLockProvider;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;

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
                System.out.printf(Locale.ROOT, "  handOffAfter %-13s %s%n",
                        handOffAfter == null ? "default" : handOffAfter.toMillis() + " ms", WakeRounds.summary(micros));
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
        try (HikariDataSource holderPool = ContendedRun.pool(url, 3);
             HikariDataSource waiterPool = ContendedRun.pool(url, 3);
             JdbcLockProvider holder = provider(holderPool, handOffAfter);
             JdbcLockProvider waiter = provider(waiterPool, handOffAfter)) {
            return WakeRounds.measure(holder, waiter, ROUNDS, 30);
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
