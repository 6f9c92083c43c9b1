package dev.latchkey.lock.jdbc.internal;

import dev.latchkey.lock.jdbc.spi.JdbcDialect;
import dev.latchkey.lock.jdbc.spi.JdbcFailures;
import dev.latchkey.lock.spi.AcquireResult;
import dev.latchkey.lock.spi.LockBackend;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ROW mode: a grant is an open transaction holding {@code SELECT ... FOR UPDATE} on the lock's
 * row, on a connection of its own until release commits it. The database is the lock manager:
 * {@code NOWAIT} makes a single attempt, a bounded wait queues in the database with its lock
 * timeout (so the lock passes to the next waiter the moment it is freed), and a holder whose
 * connection dies loses the lock at once. The lease time only bounds how long the application
 * may believe it holds the lock; the database does not expire it.
 */
public final class RowLockBackend implements LockBackend {

    /** The longest one database-side wait lasts before the caller checks for an interrupt. */
    private static final long SLICE_MILLIS = 250;
    /** How long to pause before retrying when the database cannot wait for less than a second. */
    private static final long SUB_SECOND_PAUSE_MILLIS = 20;

    private final DataSource dataSource;
    private final DialectSql sql;
    private final SqlRunner run;
    private final boolean wholeSeconds;
    private final DialectSql.Statement lockNowait;
    private final DialectSql.Statement insert;
    private final DialectSql.Statement advance;

    public RowLockBackend(DataSource dataSource, DialectSql sql, int queryTimeoutSeconds) {
        this.dataSource = dataSource;
        this.sql = sql;
        this.run = new SqlRunner(queryTimeoutSeconds);
        this.wholeSeconds = sql.dialect() == JdbcDialect.MARIADB || sql.dialect() == JdbcDialect.MYSQL;
        this.lockNowait = sql.statement("row.lock.nowait");
        this.insert = sql.statement("row.insert");
        this.advance = sql.statement("row.advance");
    }

    @Override
    public AcquireResult tryAcquire(String name, String ownerToken, Duration leaseTime) {
        return lock(List.of(name), ownerToken, 0);
    }

    /**
     * PostgreSQL and MariaDB wait in their lock managers. Embedded H2 swallows a thread interrupt
     * while it waits for a row lock, so on H2 waiters make NOWAIT attempts on the provider's short
     * poll instead (cheap: the database is in-process).
     */
    @Override
    public boolean waitsOnBackend() {
        return sql.dialect() != JdbcDialect.H2;
    }

    @Override
    public AcquireResult tryAcquireWaiting(String name, String ownerToken, Duration leaseTime, long maxWaitNanos) {
        long waitMillis = Math.min(SLICE_MILLIS, Math.max(1, maxWaitNanos / 1_000_000L));
        if (wholeSeconds) {
            if (maxWaitNanos < 1_000_000_000L) {
                // MariaDB and MySQL wait in whole seconds: for the last second, attempt and pause.
                AcquireResult r = lock(List.of(name), ownerToken, 0);
                return r.isAcquired() ? r : AcquireResult.held(name, SUB_SECOND_PAUSE_MILLIS);
            }
            waitMillis = 1000;
        }
        AcquireResult r = lock(List.of(name), ownerToken, waitMillis);
        return r.isAcquired() ? r : AcquireResult.held(name, 0);
    }

    @Override
    public AcquireResult tryAcquireAll(List<String> names, String ownerToken, Duration leaseTime) {
        // All rows on one connection, in the canonical order, in one transaction: all or nothing,
        // and the application gets a single transaction for its writes.
        return lock(names, ownerToken, 0);
    }

    private AcquireResult lock(List<String> names, String ownerToken, long waitMillis) {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw JdbcFailures.backendFailure("acquire of lock '" + names.get(0) + "'", e);
        }
        boolean granted = false;
        String current = names.get(0);
        try {
            c.setAutoCommit(false);
            Map<String, Long> tokens = new LinkedHashMap<>();
            int creations = 0;
            for (int i = 0; i < names.size(); i++) {
                current = names.get(i);
                Long token = lockRow(c, current, ownerToken, waitMillis);
                if (token == null) {
                    // The lock's first use: create its row outside any lock transaction, then
                    // start over, so a multi-lock still takes every row in canonical order.
                    if (++creations > names.size() + 2) {
                        throw new SQLException("row of lock '" + current + "' could not be created");
                    }
                    c.rollback();
                    tokens.clear();
                    insertRow(c, current);
                    i = -1;
                    continue;
                }
                tokens.put(current, token);
            }
            granted = true;
            RowLockHandle handle = new RowLockHandle(c);
            return names.size() == 1 ? AcquireResult.acquired(tokens.get(current), handle)
                    : AcquireResult.acquiredAll(tokens, handle);
        } catch (SQLException e) {
            if (sql.dialect().isLockNotAvailable(e)) {
                rollbackQuietly(c);
                return AcquireResult.held(current, AcquireResult.UNKNOWN_REMAINING);
            }
            rollbackQuietly(c);
            throw JdbcFailures.backendFailure("acquire of lock '" + current + "'", e);
        } finally {
            if (!granted) {
                closeQuietly(c);
            }
        }
    }

    /**
     * Locks the row of {@code name} and advances its token; null if there is no row yet. A row
     * held by another transaction throws the dialect's lock-not-available error.
     */
    private Long lockRow(Connection c, String name, String ownerToken, long waitMillis) throws SQLException {
        Map<String, Object> args = new HashMap<>(4);
        args.put("name", name);
        args.put("owner", ownerToken);
        Long locked = waitMillis <= 0 ? run.value(c, lockNowait, args) : lockWaiting(c, args, waitMillis);
        if (locked == null) {
            return null;
        }
        Long token = run.value(c, advance, args);
        if (token == null) {
            throw new SQLException("row of lock '" + name + "' vanished while locked");
        }
        return token;
    }

    /**
     * Creates the row of {@code name}, committed, on {@code c} after its transaction was rolled
     * back: the probe that found no row may hold a gap lock (InnoDB) that would block the insert.
     */
    private void insertRow(Connection c, String name) throws SQLException {
        c.setAutoCommit(true);
        try {
            run.update(c, insert, Map.of("name", name));
        } catch (SQLException e) {
            // Another client created it first; it may also hold it already.
            if (!sql.dialect().isUniqueViolation(e) && !sql.dialect().isLockNotAvailable(e)) {
                throw e;
            }
        } finally {
            c.setAutoCommit(false);
        }
    }

    private Long lockWaiting(Connection c, Map<String, Object> args, long waitMillis) throws SQLException {
        Object[] vars = {"wait_ms", waitMillis, "wait_seconds", Math.max(1, waitMillis / 1000),
                "wait_seconds_fraction", BigDecimal.valueOf(waitMillis, 3)};
        if (sql.has("row.lock.wait.before")) {
            run.execute(c, sql.statement("row.lock.wait.before", vars));
        }
        try {
            return run.value(c, sql.statement("row.lock.wait", vars), args);
        } finally {
            if (sql.has("row.lock.wait.after")) {
                run.execute(c, sql.statement("row.lock.wait.after", vars));
            }
        }
    }

    @Override
    public boolean release(String name, String ownerToken, Object handle) {
        RowLockHandle h = (RowLockHandle) handle;
        try {
            h.commit();
            // A multi-lock shares one transaction: the first name's release ended it.
            return true;
        } catch (SQLException e) {
            throw JdbcFailures.backendFailure("release (commit) of lock '" + name
                    + "'; the transaction's writes were not committed", e);
        }
    }

    @Override
    public boolean extend(String name, String ownerToken, Object handle, Duration leaseTime) {
        // The database does not expire a row lock: it lasts while the transaction is open.
        try {
            return ((RowLockHandle) handle).isAlive(Math.max(1, (int) Math.min(5, leaseTime.toSeconds())));
        } catch (SQLException e) {
            throw JdbcFailures.backendFailure("extend of lock '" + name + "'", e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is closed next; the database rolls back what is left.
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // A dead connection: the pool discards it.
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // Nothing more to free.
        }
    }

    @Override
    public void close() {
        // Nothing held: every open transaction belongs to a lease, released by the provider.
    }

    @Override
    public String toString() {
        return "JDBC ROW backend (" + sql.dialect().displayName() + ")";
    }
}
