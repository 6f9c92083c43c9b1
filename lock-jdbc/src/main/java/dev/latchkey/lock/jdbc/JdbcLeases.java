package dev.latchkey.lock.jdbc;

import dev.latchkey.lock.LockBackendException;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.internal.ManagedLease;
import dev.latchkey.lock.jdbc.internal.RowLockHandle;
import dev.latchkey.lock.jdbc.spi.JdbcFailures;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The transaction of a {@link JdbcLockMode#ROW ROW}-mode lease. Write through
 * {@link #connection(LockLease)}; {@link LockLease#release()} commits those writes together with
 * the unlock, {@link #rollback(LockLease)} discards them and unlocks:
 *
 * <pre>{@code
 * try (LockLease lease = wallets.lock("wallet:" + id).acquire(Duration.ofSeconds(5))) {
 *     Connection tx = JdbcLeases.connection(lease);
 *     long balance = readBalance(tx, id);
 *     if (balance < amount) {
 *         JdbcLeases.rollback(lease);            // nothing written; lock freed
 *         throw new InsufficientFunds();
 *     }
 *     writeBalance(tx, id, balance - amount);    // commits with release() at the end of the block
 * }
 * }</pre>
 *
 * <p>The connection refuses {@code commit()}, {@code rollback()}, {@code setAutoCommit} and
 * {@code close()} with {@link IllegalStateException}: each would end the transaction, and the lock
 * with it, behind the lease's back. Savepoints work as usual.
 *
 * @since 0.1
 */
public final class JdbcLeases {

    private JdbcLeases() {
    }

    /**
     * The connection of the transaction that holds {@code lease}'s row lock (for a multi-lock, the
     * one transaction holding every row).
     *
     * @throws NullPointerException if {@code lease} is null
     * @throws IllegalArgumentException if {@code lease} is not a ROW-mode lease of a {@link JdbcLockProvider}
     * @throws IllegalStateException if the lease was released or rolled back
     */
    public static Connection connection(LockLease lease) {
        RowLockHandle h = handle(lease);
        if (h.isFinished()) {
            throw new IllegalStateException("lease of '" + lease.name() + "' was released or rolled back:"
                    + " its transaction has ended");
        }
        return h.view();
    }

    /**
     * Rolls back the lease's transaction (every write made through {@link #connection}) and frees
     * the lock. Does nothing if the lease was already released or rolled back.
     *
     * @throws NullPointerException if {@code lease} is null
     * @throws IllegalArgumentException if {@code lease} is not a ROW-mode lease of a {@link JdbcLockProvider}
     * @throws LockBackendException if the rollback fails (the database still frees the lock when
     *     the connection closes)
     */
    public static void rollback(LockLease lease) {
        RowLockHandle h = handle(lease);
        try {
            h.rollback();
        } catch (SQLException e) {
            throw JdbcFailures.backendFailure("rollback of lock '" + lease.name() + "'", e);
        } finally {
            lease.release();
        }
    }

    private static RowLockHandle handle(LockLease lease) {
        Objects.requireNonNull(lease, "lease");
        if (lease instanceof ManagedLease) {
            String first = lease.fencingTokens().keySet().iterator().next();
            Object handle = ((ManagedLease) lease).handle(first);
            if (handle instanceof RowLockHandle) {
                return (RowLockHandle) handle;
            }
        }
        throw new IllegalArgumentException("not a ROW-mode lease of a JdbcLockProvider: " + lease);
    }
}
