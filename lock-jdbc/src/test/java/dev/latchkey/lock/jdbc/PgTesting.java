package dev.latchkey.lock.jdbc;

import org.awaitility.Awaitility;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/** What the PostgreSQL hand-off tests share: reading notifications, one-value queries, waiting. */
final class PgTesting {

    /** How long a test waits for something to happen before it fails. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private PgTesting() {
    }

    /** Providers on one lock table, closed together, and a thread pool for their waiters. */
    static final class Fleet implements AutoCloseable {
        final ExecutorService pool = Executors.newCachedThreadPool();
        private final String table;
        private final List<JdbcLockProvider> providers = new ArrayList<>();

        Fleet(String table) {
            this.table = table;
        }

        /** A new LEASE-mode provider on the fleet's table, closed with the fleet. */
        synchronized JdbcLockProvider provider(DataSource ds, Duration handOffAfter) {
            JdbcLockProvider p = JdbcLockProvider.builder(ds).tableName(table).createTableIfMissing(true)
                    .handOffAfter(handOffAfter).build();
            providers.add(p);
            return p;
        }

        @Override
        public synchronized void close() {
            providers.forEach(JdbcLockProvider::close);
            pool.shutdownNow();
        }
    }

    /**
     * The payloads of the notifications {@code listener} (LISTENing on {@code channel}) receives
     * before a marker sent on that channel now. Notifications arrive in commit order, so the
     * marker bounds what a statement that committed before it sent.
     */
    static List<String> notificationsUntilMarker(Connection listener, String channel) throws Exception {
        String marker = "marker " + UUID.randomUUID();
        try (Connection c = TestPools.pool("postgresql").getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, channel);
            ps.setString(2, marker);
            ps.execute();
        }
        return notificationsUntil(listener, marker);
    }

    /**
     * The payloads of the notifications {@code listener} receives before one whose payload is
     * {@code payload}; fails if that one does not arrive within {@link #WAIT}.
     */
    static List<String> notificationsUntil(Connection listener, String payload) throws Exception {
        PGConnection pg = listener.unwrap(PGConnection.class);
        List<String> got = new ArrayList<>();
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() - end < 0) {
            PGNotification[] batch = pg.getNotifications(500);
            for (PGNotification n : batch == null ? new PGNotification[0] : batch) {
                if (n.getParameter().equals(payload)) {
                    return got;
                }
                got.add(n.getParameter());
            }
        }
        throw new AssertionError("no notification '" + payload + "' within " + WAIT + "; got " + got);
    }

    /** The first column of the first row of {@code sql}, its parameters bound as strings. */
    static long query(String sql, String... args) {
        try (Connection c = TestPools.pool("postgresql").getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row from " + sql);
                }
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code condition} holds; fails after {@link #WAIT}. */
    static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(condition::getAsBoolean);
    }
}
