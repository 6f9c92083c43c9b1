package dev.latchkey.lock.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.lock.jdbc.spi.JdbcDialect;
import dev.latchkey.testkit.db.Databases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL's queue statements turn bitmap scans off for their own transaction, in the same round
 * trip (see the comment in {@code postgresql.sql}): the setting reaches the statement after it, the
 * runner returns that statement's result, and the pooled connection keeps its own setting.
 */
class PlannerSettingTest {

    private static final String NO_BITMAP = "SELECT set_config('enable_bitmapscan', 'off', true);\n";

    private static HikariDataSource pool;

    @BeforeAll
    static void open() {
        pool = Databases.postgres().newDataSource(2);
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    @Test
    void theQueueStatements_turnBitmapScansOff_andTheCommonOnesDoNot() {
        DialectSql sql = DialectSql.load(JdbcDialect.POSTGRESQL, "latchkey_planner_locks");
        for (String key : List.of("lease.acquire.queue", "lease.release.handoff", "lease.withdraw")) {
            DialectSql.Statement s = sql.statement(key);
            assertThat(s.preludes()).as(key).isEqualTo(1);
            assertThat(s.sql()).as(key).startsWith(NO_BITMAP);
        }
        for (String key : List.of("lease.acquire", "lease.acquire.reporting", "lease.release", "lease.release.alone",
                "lease.extend")) {
            assertThat(sql.statement(key).preludes()).as(key).isZero();
        }
        assertThat(sql.statement("lease.acquire.queue").returnsRows()).isTrue();
        assertThat(sql.statement("lease.withdraw").returnsRows()).isFalse();
    }

    @Test
    void theHandOffRelease_testsTheListeningMarkThatListenersTake() {
        DialectSql sql = DialectSql.load(JdbcDialect.POSTGRESQL, "latchkey_planner_locks");
        assertThat(sql.statement("lease.release.handoff").sql())
                .contains("pg_try_advisory_xact_lock_shared(" + PgNotifySignals.LISTENING_LOCK + ", q.listener_pid)");
    }

    @Test
    void theSettingReachesTheMainStatement_andEndsWithItsTransaction() throws Exception {
        SqlRunner runner = new SqlRunner(5);
        DialectSql.Statement seen = new DialectSql.Statement("test.seen",
                NO_BITMAP + "SELECT CASE current_setting('enable_bitmapscan') WHEN 'off' THEN 1 ELSE 0 END, ?::bigint",
                List.of("n"));
        DialectSql.Statement update = new DialectSql.Statement("test.update",
                NO_BITMAP + "UPDATE pg_temp_planner_probe SET n = n + 1 WHERE current_setting('enable_bitmapscan') = 'off'",
                List.of());
        try (Connection c = pool.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TEMP TABLE pg_temp_planner_probe (n int)");
                st.execute("INSERT INTO pg_temp_planner_probe VALUES (0), (0)");
            }
            assertThat(runner.values(c, seen, Map.of("n", 42L), 2)).containsExactly(1L, 42L);
            assertThat(runner.update(c, update, Map.of())).as("the UPDATE's own count").isEqualTo(2);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW enable_bitmapscan")) {
                rs.next();
                assertThat(rs.getString(1)).as("the connection's own setting afterwards").isEqualTo("on");
            }
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE pg_temp_planner_probe");
            }
        }
    }
}
