package dev.latchkey.lock.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * Runs a {@link DialectSql.Statement} with named arguments. A statement that returns a value does
 * so either as the first column of its first row (RETURNING, FINAL TABLE, a SELECT) or, on
 * MariaDB and MySQL, as the generated key that {@code LAST_INSERT_ID(expr)} puts in the OK packet.
 */
final class SqlRunner {

    /** No row, or no update: the statement found nothing to do. */
    static final Long NONE = null;

    private final int queryTimeoutSeconds;

    SqlRunner(int queryTimeoutSeconds) {
        this.queryTimeoutSeconds = queryTimeoutSeconds;
    }

    /** Runs an update; returns the update count. */
    int update(Connection c, DialectSql.Statement s, Map<String, ?> args) throws SQLException {
        try (PreparedStatement ps = prepare(c, s, args, false)) {
            if (s.preludes() > 0) {
                skipPreludes(ps, s);
                if (s.returnsRows()) {
                    try (ResultSet rs = ps.getResultSet()) {
                        return count(rs);
                    }
                }
                return ps.getUpdateCount();
            }
            if (s.returnsRows()) {
                try (ResultSet rs = ps.executeQuery()) {
                    return count(rs);
                }
            }
            return ps.executeUpdate();
        }
    }

    /**
     * Runs a statement that yields at most one long: the first column of the first row, or the
     * generated key of an update. Returns {@link #NONE} when there is no row or nothing updated,
     * and also when the first column is SQL NULL.
     */
    Long value(Connection c, DialectSql.Statement s, Map<String, ?> args) throws SQLException {
        return values(c, s, args, 1)[0];
    }

    /** Like {@link #value} but returns the first {@code columns} columns of the first row. */
    Long[] values(Connection c, DialectSql.Statement s, Map<String, ?> args, int columns) throws SQLException {
        Long[] out = new Long[columns];
        boolean rows = s.returnsRows();
        try (PreparedStatement ps = prepare(c, s, args, !rows && s.preludes() == 0)) {
            if (s.preludes() > 0) {
                skipPreludes(ps, s);
                if (!rows) {
                    throw new IllegalStateException(s.key() + ": a statement with preludes must return rows");
                }
            }
            if (rows) {
                try (ResultSet rs = s.preludes() > 0 ? ps.getResultSet() : ps.executeQuery()) {
                    if (rs.next()) {
                        for (int i = 0; i < columns; i++) {
                            long v = rs.getLong(i + 1);
                            out[i] = rs.wasNull() ? null : v;
                        }
                    }
                }
                return out;
            }
            if (ps.executeUpdate() == 0) {
                return out;
            }
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (keys.next()) {
                    out[0] = keys.getLong(1);
                }
            }
            return out;
        }
    }

    private static int count(ResultSet rs) throws SQLException {
        int n = 0;
        while (rs.next()) {
            n++;
        }
        return n;
    }

    /**
     * Executes a statement that starts with settings statements (see
     * {@link DialectSql.Statement#preludes()}) and moves past their results to the main one's.
     */
    private static void skipPreludes(PreparedStatement ps, DialectSql.Statement s) throws SQLException {
        ps.execute();
        for (int i = 0; i < s.preludes(); i++) {
            ps.getMoreResults();
        }
        if (s.returnsRows() && ps.getResultSet() == null) {
            throw new IllegalStateException(s.key() + ": no result set after " + s.preludes() + " prelude(s)");
        }
    }

    /** Runs a statement for its effect only (a SET, a lock wait setup). */
    void execute(Connection c, DialectSql.Statement s) throws SQLException {
        try (PreparedStatement ps = prepare(c, s, Map.of(), false)) {
            ps.execute();
        }
    }

    private PreparedStatement prepare(Connection c, DialectSql.Statement s, Map<String, ?> args,
                                      boolean keys) throws SQLException {
        PreparedStatement ps = keys
                ? c.prepareStatement(s.sql(), java.sql.Statement.RETURN_GENERATED_KEYS)
                : c.prepareStatement(s.sql());
        try {
            if (queryTimeoutSeconds > 0) {
                ps.setQueryTimeout(queryTimeoutSeconds);
            }
            int i = 1;
            for (String p : s.params()) {
                Object v = args.get(p);
                if (v == null && !args.containsKey(p)) {
                    throw new IllegalStateException("no argument for :" + p + " in " + s.key());
                }
                ps.setObject(i++, v);
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }
}
