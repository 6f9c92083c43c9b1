package dev.latchkey.examples;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import javax.sql.DataSource;

/**
 * The few JDBC moves the scenarios make, written once. Table names are generated here (a fixed
 * base plus a random suffix), never taken from input, so concatenating them into SQL is safe; the
 * suffix keeps runs against a shared database apart.
 */
public final class Sql {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Sql() {
    }

    /** A fresh table name: {@code base} plus a random suffix, for example {@code lkx_wallet_3fa9c1}. */
    public static String freshTable(String base) {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return "lkx_" + base + "_" + HexFormat.of().formatHex(b);
    }

    /** Runs one statement in its own autocommit connection and returns the update count. */
    public static int update(DataSource ds, String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return update(c, sql, args);
        }
    }

    /** Runs one statement on the given connection and returns the update count. */
    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    /** Reads one {@code long} (the first column of the first row) in its own connection. */
    public static long queryLong(DataSource ds, String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return queryLong(c, sql, args);
        }
    }

    /** Reads one {@code long} (the first column of the first row) on the given connection. */
    public static long queryLong(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no row for: " + sql);
                }
                return rs.getLong(1);
            }
        }
    }

    /** Drops the tables, ignoring ones that are already gone. */
    public static void drop(DataSource ds, String... tables) throws SQLException {
        for (String t : tables) {
            update(ds, "DROP TABLE IF EXISTS " + t);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
