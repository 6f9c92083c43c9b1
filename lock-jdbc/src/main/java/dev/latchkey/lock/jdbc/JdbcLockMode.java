package dev.latchkey.lock.jdbc;

/**
 * How {@link JdbcLockProvider} holds a lock in the database.
 *
 * @since 0.1
 */
public enum JdbcLockMode {

    /**
     * A lease row: the holder's owner token and an expiry on the database's clock. Each operation
     * is one short autocommit statement; no connection is held while the lock is held, so it
     * scales to many holders and long leases. A crashed holder's lock frees itself when its lease
     * runs out. The protected work commits on its own, so pass the
     * {@linkplain dev.latchkey.lock.LockLease#fencingToken() fencing token} to the storage.
     */
    LEASE,

    /**
     * A row lock: an open transaction holding {@code SELECT ... FOR UPDATE} on the lock's row, on a
     * connection kept for the lease. The application writes through that transaction's connection
     * ({@link JdbcLeases#connection}) so its writes commit together with the unlock; a holder
     * whose connection dies loses the lock at once. Each holder and each waiter occupies a
     * connection, and the database never expires the lock: the lease time bounds only how long
     * the lease reports itself held.
     */
    ROW
}
