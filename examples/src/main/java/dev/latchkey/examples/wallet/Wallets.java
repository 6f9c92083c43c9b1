package dev.latchkey.examples.wallet;

import dev.latchkey.examples.Settings;
import dev.latchkey.examples.Sql;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.jdbc.JdbcLeases;
import dev.latchkey.lock.jdbc.JdbcLockProvider;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Seed 004's wallet service: a balance and a table of withdrawals paid out. Each withdrawal
 * checks the balance, pays, and debits it.
 */
final class Wallets implements AutoCloseable {

    static final String WALLET = "alice";

    private final DataSource ds;
    private final Settings settings;
    private final String wallets = Sql.freshTable("wallets");
    private final String withdrawals = Sql.freshTable("withdrawals");

    Wallets(DataSource ds, Settings settings, long balance) throws SQLException {
        this.ds = ds;
        this.settings = settings;
        Sql.update(ds, "CREATE TABLE " + wallets + " (id VARCHAR(32) PRIMARY KEY, balance BIGINT NOT NULL)");
        Sql.update(ds, "CREATE TABLE " + withdrawals
                + " (id VARCHAR(40) PRIMARY KEY, wallet_id VARCHAR(32) NOT NULL, amount BIGINT NOT NULL)");
        Sql.update(ds, "INSERT INTO " + wallets + " (id, balance) VALUES (?, ?)", WALLET, balance);
    }

    /** The race: read the balance, pause, pay, debit. Two withdrawals both see enough money. */
    boolean withdrawUnguarded(long amount) throws SQLException, InterruptedException {
        long balance = Sql.queryLong(ds, "SELECT balance FROM " + wallets + " WHERE id = ?", WALLET);
        if (balance < amount) {
            return false;
        }
        settings.pauseBetweenCheckAndAct();
        pay(ds.getConnection(), amount, true);
        Sql.update(ds, "UPDATE " + wallets + " SET balance = balance - ? WHERE id = ?", amount, WALLET);
        return true;
    }

    /**
     * The fix of seed 004 ({@code select_for_update} plus an {@code F()} update): a ROW-mode lock
     * holds the wallet while its transaction reads, pays and debits with an atomic, guarded
     * {@code UPDATE}; releasing the lease commits the payment together with the unlock.
     */
    boolean withdrawUnderRowLock(JdbcLockProvider rowLocks, String lockName, long amount)
            throws SQLException, InterruptedException {
        try (LockLease lease = rowLocks.lock(lockName).acquire(Duration.ofSeconds(60))) {
            Connection tx = JdbcLeases.connection(lease);
            long balance = Sql.queryLong(tx, "SELECT balance FROM " + wallets + " WHERE id = ?", WALLET);
            if (balance < amount) {
                JdbcLeases.rollback(lease);
                return false;
            }
            settings.pauseBetweenCheckAndAct();
            pay(tx, amount, false);
            if (debit(tx, amount) == 0) {
                JdbcLeases.rollback(lease);   // the guard refused: the payment is rolled back too
                return false;
            }
            return true;                      // release() commits payment and debit with the unlock
        }
    }

    /** The atomic update alone: the guard in the {@code WHERE} clause decides, in one statement. */
    boolean withdrawAtomically(long amount) throws SQLException, InterruptedException {
        settings.pauseBetweenCheckAndAct();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (debit(c, amount) == 0) {
                    c.rollback();
                    return false;
                }
                pay(c, amount, false);
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private int debit(Connection c, long amount) throws SQLException {
        return Sql.update(c, "UPDATE " + wallets + " SET balance = balance - ? WHERE id = ? AND balance >= ?",
                amount, WALLET, amount);
    }

    private void pay(Connection c, long amount, boolean closeAfter) throws SQLException {
        try {
            Sql.update(c, "INSERT INTO " + withdrawals + " (id, wallet_id, amount) VALUES (?, ?, ?)",
                    UUID.randomUUID().toString(), WALLET, amount);
        } finally {
            if (closeAfter) {
                c.close();
            }
        }
    }

    long paidOut() throws SQLException {
        return Sql.queryLong(ds, "SELECT COALESCE(SUM(amount), 0) FROM " + withdrawals);
    }

    long balance() throws SQLException {
        return Sql.queryLong(ds, "SELECT balance FROM " + wallets + " WHERE id = ?", WALLET);
    }

    @Override
    public void close() throws SQLException {
        Sql.drop(ds, withdrawals, wallets);
    }
}
