package dev.latchkey.examples.orders;

import dev.latchkey.examples.Settings;
import dev.latchkey.examples.Sql;
import dev.latchkey.retry.VersionedUpdate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Seed 002's order service: an {@code inventory_items} row with a version column and an
 * {@code orders} table. Placing an order checks the stock, writes the order and takes the stock.
 */
final class OrderBook implements AutoCloseable {

    static final String ITEM = "widget";

    /** What happened to one order. */
    enum Result { CONFIRMED, OUT_OF_STOCK, GAVE_UP }

    private final DataSource ds;
    private final Settings settings;
    private final String items = Sql.freshTable("items");
    private final String orders = Sql.freshTable("orders");
    private final VersionedUpdate takeStock;

    OrderBook(DataSource ds, Settings settings, int stock) throws SQLException {
        this.ds = ds;
        this.settings = settings;
        Sql.update(ds, "CREATE TABLE " + items
                + " (id VARCHAR(32) PRIMARY KEY, quantity_available INT NOT NULL, version BIGINT NOT NULL)");
        Sql.update(ds, "CREATE TABLE " + orders
                + " (id VARCHAR(40) PRIMARY KEY, item_id VARCHAR(32) NOT NULL, quantity INT NOT NULL)");
        Sql.update(ds, "INSERT INTO " + items + " (id, quantity_available, version) VALUES (?, ?, 0)", ITEM, stock);
        takeStock = VersionedUpdate.of("UPDATE " + items
                + " SET quantity_available = ?, version = version + 1 WHERE id = ? AND version = ?");
    }

    /** The bug: check in one statement, order and decrement in others, nothing holding them together. */
    Result placeUnguarded() throws SQLException, InterruptedException {
        long available = Sql.queryLong(ds, "SELECT quantity_available FROM " + items + " WHERE id = ?", ITEM);
        if (available < 1) {
            return Result.OUT_OF_STOCK;
        }
        settings.pauseBetweenCheckAndAct();
        Sql.update(ds, "INSERT INTO " + orders + " (id, item_id, quantity) VALUES (?, ?, 1)", newId(), ITEM);
        Sql.update(ds, "UPDATE " + items + " SET quantity_available = quantity_available - 1 WHERE id = ?", ITEM);
        return Result.CONFIRMED;
    }

    /**
     * One attempt of the fixed service: read with the version, write the order and a version-checked
     * update in one transaction. A conflict ({@code ConcurrencyConflictException}) rolls the order back
     * too; the caller retries the whole transaction.
     */
    Result placeOptimisticAttempt() throws SQLException, InterruptedException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                long available;
                long version;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT quantity_available, version FROM " + items + " WHERE id = ?")) {
                    ps.setString(1, ITEM);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        available = rs.getLong(1);
                        version = rs.getLong(2);
                    }
                }
                if (available < 1) {
                    c.rollback();
                    return Result.OUT_OF_STOCK;
                }
                settings.pauseBetweenCheckAndAct();
                Sql.update(c, "INSERT INTO " + orders + " (id, item_id, quantity) VALUES (?, ?, 1)", newId(), ITEM);
                takeStock.execute(c, available - 1, ITEM, version);
                c.commit();
                return Result.CONFIRMED;
            } catch (SQLException | RuntimeException | InterruptedException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** The production variant of the seed: lock the item row with {@code SELECT ... FOR UPDATE}. */
    Result placeForUpdate() throws SQLException, InterruptedException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                long available = Sql.queryLong(c,
                        "SELECT quantity_available FROM " + items + " WHERE id = ? FOR UPDATE", ITEM);
                if (available < 1) {
                    c.rollback();
                    return Result.OUT_OF_STOCK;
                }
                settings.pauseBetweenCheckAndAct();
                Sql.update(c, "INSERT INTO " + orders + " (id, item_id, quantity) VALUES (?, ?, 1)", newId(), ITEM);
                Sql.update(c, "UPDATE " + items
                        + " SET quantity_available = quantity_available - 1, version = version + 1 WHERE id = ?", ITEM);
                c.commit();
                return Result.CONFIRMED;
            } catch (SQLException | RuntimeException | InterruptedException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Orders in the table: the truth, whatever the clients were told. */
    long ordersPlaced() throws SQLException {
        return Sql.queryLong(ds, "SELECT COUNT(*) FROM " + orders);
    }

    long available() throws SQLException {
        return Sql.queryLong(ds, "SELECT quantity_available FROM " + items + " WHERE id = ?", ITEM);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    @Override
    public void close() throws SQLException {
        Sql.drop(ds, orders, items);
    }
}
