package dev.latchkey.lock.jdbc;

import dev.latchkey.lock.LockLease;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seeds' wallet: 20 concurrent withdrawals of 10 from a balance of 100, each a read-check-write
 * through the ROW-mode lease's transaction. Exactly 10 succeed, 10 are rejected for insufficient
 * funds, and the balance ends at exactly 0: never negative (a double spend), never above 0 (a
 * lost write).
 */
class WalletTest {

    private static final int WITHDRAWALS = 20;
    private static final long AMOUNT = 10;

    @Test
    void postgres_twentyConcurrentWithdrawals_leaveZeroAndRejectTen() throws Exception {
        twentyConcurrentWithdrawals_leaveZeroAndRejectTen("postgresql");
    }

    @Test
    void mariadb_twentyConcurrentWithdrawals_leaveZeroAndRejectTen() throws Exception {
        twentyConcurrentWithdrawals_leaveZeroAndRejectTen("mariadb");
    }

    private void twentyConcurrentWithdrawals_leaveZeroAndRejectTen(String kind) throws Exception {
        DataSource ds = TestPools.pool(kind);
        String wallet = "w-" + UUID.randomUUID();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS latchkey_wallets (id VARCHAR(64) PRIMARY KEY, balance BIGINT NOT NULL)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO latchkey_wallets (id, balance) VALUES (?, 100)")) {
                ps.setString(1, wallet);
                ps.executeUpdate();
            }
        }
        AtomicInteger done = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(WITHDRAWALS);
        try (JdbcLockProvider locks = JdbcLockProvider.builder(ds).tableName("latchkey_wallet_locks")
                .mode(JdbcLockMode.ROW).createTableIfMissing(true).build()) {
            List<Future<Void>> results = new ArrayList<>();
            for (int i = 0; i < WITHDRAWALS; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try (LockLease lease = locks.lock("wallet:" + wallet).acquire(Duration.ofSeconds(30))) {
                        Connection tx = JdbcLeases.connection(lease);
                        long balance;
                        try (PreparedStatement ps = tx.prepareStatement(
                                "SELECT balance FROM latchkey_wallets WHERE id = ?")) {
                            ps.setString(1, wallet);
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                balance = rs.getLong(1);
                            }
                        }
                        Thread.yield();
                        if (balance < AMOUNT) {
                            rejected.incrementAndGet();
                            JdbcLeases.rollback(lease);
                            return null;
                        }
                        try (PreparedStatement ps = tx.prepareStatement(
                                "UPDATE latchkey_wallets SET balance = ? WHERE id = ?")) {
                            ps.setLong(1, balance - AMOUNT);
                            ps.setString(2, wallet);
                            ps.executeUpdate();
                        }
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<Void> f : results) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long balance;
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT balance FROM latchkey_wallets WHERE id = ?")) {
            ps.setString(1, wallet);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                balance = rs.getLong(1);
            }
        }
        assertThat(balance).as("final balance: negative is a double spend, positive a lost write").isZero();
        assertThat(done.get()).as("withdrawals that went through").isEqualTo(10);
        assertThat(rejected.get()).as("withdrawals rejected for insufficient funds").isEqualTo(10);
    }
}
