package dev.latchkey.lock.jdbc.internal;

import dev.latchkey.lock.LockBackendException;
import dev.latchkey.lock.jdbc.spi.JdbcFailures;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates the lock table (and its sequence) if missing, and checks that the table is there. */
public final class TableInstaller {

    private TableInstaller() {
    }

    /**
     * Runs the dialect's DDL. Several processes starting at once may all run
     * {@code CREATE TABLE IF NOT EXISTS}; on PostgreSQL the losers can fail with a unique
     * violation on the catalog instead of doing nothing, so a failed statement is retried once,
     * when it finds the winner's table and does nothing. Objects that a probe finds are not
     * created at all: on MariaDB even {@code CREATE TABLE IF NOT EXISTS} of an existing table
     * waits for every open transaction that touched it (a ROW-mode lease, say).
     */
    public static void createIfMissing(DataSource dataSource, DialectSql sql, String table) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            for (DialectSql.Ddl d : sql.ddlWithProbes()) {
                if (d.probe() != null && exists(c, d.probe())) {
                    continue;
                }
                String ddl = d.create();
                try {
                    execute(c, ddl);
                } catch (SQLException first) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw JdbcFailures.backendFailure("creating lock table " + table, first);
                    }
                    try {
                        execute(c, ddl);
                    } catch (SQLException second) {
                        second.addSuppressed(first);
                        throw second;
                    }
                }
            }
        } catch (SQLException e) {
            throw JdbcFailures.backendFailure("creating lock table " + table, e);
        }
    }

    /**
     * Fails with a message that says how to create the table if it, or another object of the
     * dialect's DDL (the fencing sequence, the hand-off queue), is not there.
     */
    public static void verify(DataSource dataSource, DialectSql sql, String table) {
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT lock_name, owner_token, fencing_token, expires_at FROM " + table
                        + " WHERE 1 = 0").close();
            }
            for (DialectSql.Ddl d : sql.ddlWithProbes()) {
                if (d.probe() != null && !exists(c, d.probe())) {
                    throw new LockBackendException("lock table " + table + " is there but this is"
                            + " missing: " + d.create().lines().findFirst().orElse(d.create()) + howToCreate());
                }
            }
        } catch (SQLException e) {
            throw JdbcFailures.backendFailure("checking lock table " + table + howToCreate(), e);
        }
    }

    private static String howToCreate() {
        return " (create it with JdbcLockProvider.ddl(dialect, table), or build with createTableIfMissing(true))";
    }

    private static boolean exists(Connection c, String probe) {
        try (Statement s = c.createStatement()) {
            s.executeQuery(probe).close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void execute(Connection c, String ddl) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(ddl);
        }
    }
}
