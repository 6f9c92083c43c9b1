package dev.latchkey.lock.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.testkit.db.Databases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.core.BaseConnection;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener connection's driver tweak (see {@link PgNotificationLatency}) finds the driver's
 * internals, so the millisecond per notification is really saved with the driver tested here,
 * loses no notification, and leaves the pooled connection as it found it.
 */
class PgNotificationLatencyTest {

    private static HikariDataSource pool;

    @BeforeAll
    static void open() {
        pool = Databases.postgres().newDataSource(4);
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    @Test
    void findsTheDriversCheckTime_andRestoresIt() throws Exception {
        try (Connection c = pool.getConnection()) {
            long before = checkTime(c);
            PgNotificationLatency tweak = PgNotificationLatency.apply(c);
            assertThat(tweak).as("the driver's internals are where the tweak expects them").isNotNull();
            assertThat(checkTime(c)).isEqualTo(Long.MAX_VALUE);
            tweak.restore();
            assertThat(checkTime(c)).as("the connection goes back to the pool as it came").isEqualTo(before);
        }
    }

    @Test
    void everyNotificationStillArrives_whenSeveralCommitTogether() throws Exception {
        try (Connection listener = pool.getConnection(); Connection sender = pool.getConnection()) {
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN latchkey_latency_test");
            }
            PgNotificationLatency tweak = PgNotificationLatency.apply(listener);
            assertThat(tweak).isNotNull();
            try {
                sender.setAutoCommit(false);
                try (Statement s = sender.createStatement()) {
                    for (int i = 0; i < 5; i++) {
                        s.execute("SELECT pg_notify('latchkey_latency_test', '" + i + "')");
                    }
                }
                sender.commit();
                sender.setAutoCommit(true);
                PGConnection pg = listener.unwrap(PGConnection.class);
                List<String> got = new ArrayList<>();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (got.size() < 5 && System.nanoTime() - end < 0) {
                    PGNotification[] batch = pg.getNotifications(500);
                    if (batch != null) {
                        for (PGNotification n : batch) {
                            got.add(n.getParameter());
                        }
                    }
                }
                assertThat(got).containsExactly("0", "1", "2", "3", "4");
            } finally {
                tweak.restore();
                try (Statement s = listener.createStatement()) {
                    s.execute("UNLISTEN *");
                }
            }
        }
    }

    private static long checkTime(Connection c) throws Exception {
        Object executor = c.unwrap(BaseConnection.class).getQueryExecutor();
        Field stream = PgNotificationLatency.field(executor.getClass(), "pgStream");
        stream.setAccessible(true);
        Object s = stream.get(executor);
        Field next = PgNotificationLatency.field(s.getClass(), "nextStreamAvailableCheckTime");
        next.setAccessible(true);
        return next.getLong(s);
    }
}
