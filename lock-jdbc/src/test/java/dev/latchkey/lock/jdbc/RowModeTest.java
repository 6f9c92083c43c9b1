package dev.latchkey.lock.jdbc;

import dev.latchkey.lock.LockLease;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What ROW mode adds to the contract: the lease's transaction, commit on release, rollback on demand. */
class RowModeTest {

    @Test
    void release_commitsTheWritesMadeThroughTheLeaseConnection_andRollbackDiscardsThem() throws Exception {
        for (String kind : List.of("postgresql", "mariadb", "h2")) {
            try (JdbcLockProvider locks = provider(kind)) {
                String id = UUID.randomUUID().toString();
                try (Connection c = TestPools.pool(kind).getConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE IF NOT EXISTS latchkey_row_notes (id VARCHAR(64) PRIMARY KEY, note VARCHAR(20))");
                }
                String name = "row:" + id;
                LockLease first = locks.lock(name).tryAcquire().orElseThrow();
                insert(JdbcLeases.connection(first), id + "-kept");
                first.release();
                LockLease second = locks.lock(name).tryAcquire().orElseThrow();
                assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
                insert(JdbcLeases.connection(second), id + "-dropped");
                JdbcLeases.rollback(second);
                assertThat(second.isHeld()).as("%s: a rolled-back lease", kind).isFalse();
                LockLease third = locks.lock(name).tryAcquire()
                        .orElseThrow(() -> new AssertionError(kind + ": rollback did not free the lock"));
                assertThat(third.fencingToken()).as("%s: fencing after a rollback must still increase", kind)
                        .isGreaterThan(second.fencingToken());
                third.release();
                assertThat(exists(kind, id + "-kept")).as("%s: write committed by release()", kind).isTrue();
                assertThat(exists(kind, id + "-dropped")).as("%s: write discarded by rollback()", kind).isFalse();
            }
        }
    }

    @Test
    void leaseConnection_refusesToEndTheTransactionBehindTheLeasesBack() {
        try (JdbcLockProvider locks = provider("postgresql")) {
            LockLease lease = locks.lock("row-guard:" + UUID.randomUUID()).tryAcquire().orElseThrow();
            Connection tx = JdbcLeases.connection(lease);
            assertThatThrownBy(tx::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("release()");
            assertThatThrownBy(tx::rollback).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(tx::close).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> tx.setAutoCommit(true)).isInstanceOf(IllegalStateException.class);
            lease.release();
            assertThatThrownBy(() -> JdbcLeases.connection(lease)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(tx::createStatement).as("the connection after release")
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void lockAll_holdsEveryRowInOneTransaction() throws Exception {
        try (JdbcLockProvider locks = provider("mariadb"); JdbcLockProvider other = provider("mariadb")) {
            String a = "all:" + UUID.randomUUID();
            String b = "all:" + UUID.randomUUID();
            LockLease both = locks.lockAll(List.of(b, a), dev.latchkey.lock.LockOptions.defaults())
                    .tryAcquire().orElseThrow();
            assertThat(other.lock(a).tryAcquire()).isEmpty();
            assertThat(other.lock(b).tryAcquire()).isEmpty();
            assertThat(JdbcLeases.connection(both)).isNotNull();
            both.release();
            assertThat(other.lock(a).tryAcquire()).isPresent();
        }
    }

    @Test
    void jdbcLeases_onALeaseModeLease_failsClearly() {
        try (JdbcLockProvider locks = JdbcLockProvider.builder(TestPools.pool("h2")).tableName("latchkey_row_locks")
                .createTableIfMissing(true).build()) {
            LockLease lease = locks.lock("lease:" + UUID.randomUUID()).tryAcquire().orElseThrow();
            assertThatThrownBy(() -> JdbcLeases.connection(lease)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ROW-mode");
            assertThatThrownBy(() -> JdbcLeases.connection(null)).isInstanceOf(NullPointerException.class);
            lease.release();
        }
    }

    private static JdbcLockProvider provider(String kind) {
        return JdbcLockProvider.builder(TestPools.pool(kind)).tableName("latchkey_row_locks")
                .mode(JdbcLockMode.ROW).createTableIfMissing(true).build();
    }

    private static void insert(Connection tx, String id) throws Exception {
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO latchkey_row_notes (id, note) VALUES (?, 'x')")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    private static boolean exists(String kind, String id) throws Exception {
        try (Connection c = TestPools.pool(kind).getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM latchkey_row_notes WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
