package dev.latchkey.examples.inventory;

import dev.latchkey.examples.Settings;
import dev.latchkey.examples.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Seed 001's stock of laptops as one row with a quantity and a version, and the ways to buy one.
 */
final class Warehouse implements AutoCloseable {

    static final String PRODUCT = "laptop";

    private final DataSource ds;
    private final Settings settings;
    final String table = Sql.freshTable("inventory");

    Warehouse(DataSource ds, Settings settings, int stock) throws SQLException {
        this.ds = ds;
        this.settings = settings;
        Sql.update(ds, "CREATE TABLE " + table
                + " (id VARCHAR(32) PRIMARY KEY, quantity INT NOT NULL, version BIGINT NOT NULL)");
        Sql.update(ds, "INSERT INTO " + table + " (id, quantity, version) VALUES (?, ?, 0)", PRODUCT, stock);
    }

    /** The race: read the stock, pause (payment, verification), then decrement. */
    boolean buyCheckThenAct() throws SQLException, InterruptedException {
        long stock = Sql.queryLong(ds, "SELECT quantity FROM " + table + " WHERE id = ?", PRODUCT);
        if (stock < 1) {
            return false;
        }
        settings.pauseBetweenCheckAndAct();
        Sql.update(ds, "UPDATE " + table + " SET quantity = quantity - 1, version = version + 1 WHERE id = ?", PRODUCT);
        return true;
    }

    /** The fix in the database alone: the check is part of the update, so it cannot go stale. */
    boolean buyConditionalUpdate() throws SQLException, InterruptedException {
        settings.pauseBetweenCheckAndAct();
        return Sql.update(ds, "UPDATE " + table
                + " SET quantity = quantity - 1, version = version + 1 WHERE id = ? AND quantity >= 1", PRODUCT) == 1;
    }

    /** The row as read for an optimistic update. */
    record Snapshot(long quantity, long version) {
    }

    Snapshot read() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT quantity, version FROM " + table + " WHERE id = ?")) {
            ps.setString(1, PRODUCT);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Snapshot(rs.getLong(1), rs.getLong(2));
            }
        }
    }

    long left() throws SQLException {
        return Sql.queryLong(ds, "SELECT quantity FROM " + table + " WHERE id = ?", PRODUCT);
    }

    DataSource dataSource() {
        return ds;
    }

    Settings settings() {
        return settings;
    }

    @Override
    public void close() throws SQLException {
        Sql.drop(ds, table);
    }
}
