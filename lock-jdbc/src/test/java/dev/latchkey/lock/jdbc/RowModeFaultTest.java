package dev.latchkey.lock.jdbc;

import dev.latchkey.lock.LockBackendException;
import dev.latchkey.lock.LockLease;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A ROW-mode grant lasts while its transaction's connection lives: an operator killing the
 * holder's database session frees the lock at once (not after any lease time), and the holder
 * learns at release that its writes did not commit.
 */
class RowModeFaultTest {

    @Test
    void postgres_holderSessionTerminated_freesTheLockAtOnce() throws Exception {
        holderKilled_freesTheLockAtOnce("postgresql", "SELECT pg_backend_pid()", "SELECT pg_terminate_backend(%d)");
    }

    @Test
    void mariadb_holderConnectionKilled_freesTheLockAtOnce() throws Exception {
        holderKilled_freesTheLockAtOnce("mariadb", "SELECT CONNECTION_ID()", "KILL %d");
    }

    private void holderKilled_freesTheLockAtOnce(String kind, String sessionIdSql, String killSql) throws Exception {
        String name = "fault:" + UUID.randomUUID();
        try (JdbcLockProvider holder = provider(kind); JdbcLockProvider next = provider(kind)) {
            // An hour-long lease: only the session's death can free the lock within this test.
            LockLease lease = holder.lock(name, dev.latchkey.lock.LockOptions.builder()
                    .leaseTime(Duration.ofHours(1)).build()).tryAcquire().orElseThrow();
            Connection tx = JdbcLeases.connection(lease);
            long session;
            try (Statement s = tx.createStatement(); ResultSet rs = s.executeQuery(sessionIdSql)) {
                rs.next();
                session = rs.getLong(1);
            }
            assertThat(next.lock(name).tryAcquire()).as("a held ROW lock").isEmpty();

            try (Connection admin = TestPools.database(kind).connect(); Statement s = admin.createStatement()) {
                s.execute(String.format(killSql, session));
            }
            Optional<LockLease> taken = next.lock(name).tryAcquire(Duration.ofSeconds(10));
            assertThat(taken).as("the lock of a killed holder session must be free at once, not after its"
                    + " one-hour lease").isPresent();
            assertThat(taken.get().fencingToken()).as("the next holder's fencing token")
                    .isGreaterThan(lease.fencingToken());
            assertThatThrownBy(lease::release).as("release of a killed holder: its writes never committed")
                    .isInstanceOf(LockBackendException.class);
            taken.get().release();
        }
    }

    private static JdbcLockProvider provider(String kind) {
        return JdbcLockProvider.builder(TestPools.pool(kind)).tableName("latchkey_fault_locks")
                .mode(JdbcLockMode.ROW).createTableIfMissing(true).build();
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
