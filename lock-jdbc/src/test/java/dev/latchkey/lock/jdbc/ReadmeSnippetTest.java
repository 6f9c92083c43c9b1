package dev.latchkey.lock.jdbc;

import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The snippets of lock-jdbc's README section, kept compiling and true (on H2). */
class ReadmeSnippetTest {

    private final AtomicLong lastToken = new AtomicLong();

    @Test
    void leaseSnippet_runs() throws Exception {
        DataSource dataSource = TestPools.pool("h2");
        try (JdbcLockProvider locks = JdbcLockProvider.builder(dataSource)
                .tableName("latchkey_locks")
                .mode(JdbcLockMode.LEASE)
                .createTableIfMissing(true)
                .defaults(LockOptions.builder().leaseTime(Duration.ofSeconds(30)).build())
                .build()) {
            try (LockLease lease = locks.lock("stock:laptop").acquire(Duration.ofSeconds(2))) {
                lastToken.set(lease.fencingToken());
            }
        }
        assertThat(lastToken.get()).isPositive();
    }

    @Test
    void rowSnippet_withdrawsOnceAndRejectsAnOverdraft() throws Exception {
        DataSource dataSource = TestPools.pool("h2");
        String id = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS readme_wallets (id VARCHAR(64) PRIMARY KEY, balance BIGINT)");
            s.execute("INSERT INTO readme_wallets VALUES ('" + id + "', 15)");
        }
        try (JdbcLockProvider rowLocks = JdbcLockProvider.builder(dataSource).mode(JdbcLockMode.ROW)
                .createTableIfMissing(true).build()) {
            withdraw(rowLocks, id, 10);
            boolean rejected = false;
            try {
                withdraw(rowLocks, id, 10);
            } catch (IllegalStateException e) {
                rejected = true;
            }
            assertThat(rejected).isTrue();
        }
        try (Connection c = dataSource.getConnection()) {
            assertThat(readBalance(c, id)).isEqualTo(5);
        }
    }

    private static void withdraw(JdbcLockProvider rowLocks, String id, long amount) throws Exception {
        try (LockLease lease = rowLocks.lock("wallet:" + id).acquire(Duration.ofSeconds(5))) {
            Connection tx = JdbcLeases.connection(lease);
            long balance = readBalance(tx, id);
            if (balance < amount) {
                JdbcLeases.rollback(lease);             // nothing written; lock freed
                throw new IllegalStateException("insufficient funds");
            }
            writeBalance(tx, id, balance - amount);     // committed by release() when the block ends
        }
    }

    private static long readBalance(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM readme_wallets WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void writeBalance(Connection c, String id, long balance) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE readme_wallets SET balance = ? WHERE id = ?")) {
            ps.setLong(1, balance);
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }
}
