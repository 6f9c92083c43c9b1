package dev.latchkey.examples.saga;

import dev.latchkey.examples.Settings;
import dev.latchkey.examples.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The three services of seed 004's saga (inventory, wallet, reservation) as tables, with one
 * operation per step and per compensation. Each operation is one transaction that changes its
 * service's state with a guarded atomic {@code UPDATE} and records the effect against the saga,
 * so the effects each saga left behind can be added up afterwards.
 */
final class SagaServices implements AutoCloseable {

    static final String ITEM = "gift-box";
    static final String SLOT = "delivery-slot";
    static final String OK = "OK";

    private final DataSource ds;
    private final Settings settings;
    private final String items = Sql.freshTable("saga_items");
    private final String wallets = Sql.freshTable("saga_wallets");
    private final String slots = Sql.freshTable("saga_slots");
    private final String effects = Sql.freshTable("saga_effects");

    SagaServices(DataSource ds, Settings settings, int stock, int freeSlots, Map<String, Long> balances)
            throws SQLException {
        this.ds = ds;
        this.settings = settings;
        Sql.update(ds, "CREATE TABLE " + items + " (id VARCHAR(32) PRIMARY KEY, stock INT NOT NULL)");
        Sql.update(ds, "CREATE TABLE " + wallets + " (id VARCHAR(32) PRIMARY KEY, balance BIGINT NOT NULL)");
        Sql.update(ds, "CREATE TABLE " + slots + " (id VARCHAR(32) PRIMARY KEY, free INT NOT NULL)");
        Sql.update(ds, "CREATE TABLE " + effects + " (id VARCHAR(40) PRIMARY KEY, saga_id VARCHAR(64) NOT NULL,"
                + " kind VARCHAR(16) NOT NULL, amount BIGINT NOT NULL)");
        Sql.update(ds, "INSERT INTO " + items + " (id, stock) VALUES (?, ?)", ITEM, stock);
        Sql.update(ds, "INSERT INTO " + slots + " (id, free) VALUES (?, ?)", SLOT, freeSlots);
        for (var e : balances.entrySet()) {
            Sql.update(ds, "INSERT INTO " + wallets + " (id, balance) VALUES (?, ?)", e.getKey(), e.getValue());
        }
    }

    String reserveItem(String saga) throws SQLException, InterruptedException {
        return apply(saga, "ITEM", 1, "UPDATE " + items + " SET stock = stock - 1 WHERE id = ? AND stock >= 1",
                "out of stock", ITEM);
    }

    String releaseItem(String saga) throws SQLException, InterruptedException {
        return apply(saga, "ITEM", -1, "UPDATE " + items + " SET stock = stock + 1 WHERE id = ?", "", ITEM);
    }

    String charge(String saga, String customer, long price) throws SQLException, InterruptedException {
        return apply(saga, "CHARGE", price, "UPDATE " + wallets + " SET balance = balance - ? WHERE id = ? AND balance >= ?",
                "insufficient funds", price, customer, price);
    }

    String refund(String saga, String customer, long price) throws SQLException, InterruptedException {
        return apply(saga, "CHARGE", -price, "UPDATE " + wallets + " SET balance = balance + ? WHERE id = ?",
                "", price, customer);
    }

    String reserveSlot(String saga) throws SQLException, InterruptedException {
        return apply(saga, "SLOT", 1, "UPDATE " + slots + " SET free = free - 1 WHERE id = ? AND free >= 1",
                "no slot", SLOT);
    }

    /** One step: the guarded update and the effect record, in one transaction. */
    private String apply(String saga, String kind, long amount, String update, String refusal, Object... args)
            throws SQLException, InterruptedException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (Sql.update(c, update, args) == 0) {
                    c.rollback();
                    return "FAILED " + refusal;
                }
                Sql.update(c, "INSERT INTO " + effects + " (id, saga_id, kind, amount) VALUES (?, ?, ?, ?)",
                        UUID.randomUUID().toString(), saga, kind, amount);
                settings.pauseBetweenCheckAndAct();   // the service's own work before it answers
                c.commit();
                return OK;
            } catch (SQLException | RuntimeException | InterruptedException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** What a saga left behind: net items reserved, money charged, slots reserved. */
    record Net(long items, long charged, long slots) {
        boolean nothing() {
            return items == 0 && charged == 0 && slots == 0;
        }

        boolean exactlyOnce(long price) {
            return items == 1 && charged == price && slots == 1;
        }
    }

    Map<String, Net> netEffects(List<String> sagas) throws SQLException {
        Map<String, long[]> sums = new HashMap<>();
        sagas.forEach(s -> sums.put(s, new long[3]));
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT saga_id, kind, SUM(amount) FROM " + effects + " GROUP BY saga_id, kind");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long[] s = sums.computeIfAbsent(rs.getString(1), k -> new long[3]);
                int i = switch (rs.getString(2)) {
                    case "ITEM" -> 0;
                    case "CHARGE" -> 1;
                    default -> 2;
                };
                s[i] += rs.getLong(3);
            }
        }
        Map<String, Net> net = new HashMap<>();
        sums.forEach((k, s) -> net.put(k, new Net(s[0], s[1], s[2])));
        return net;
    }

    long stock() throws SQLException {
        return Sql.queryLong(ds, "SELECT stock FROM " + items + " WHERE id = ?", ITEM);
    }

    long freeSlots() throws SQLException {
        return Sql.queryLong(ds, "SELECT free FROM " + slots + " WHERE id = ?", SLOT);
    }

    @Override
    public void close() throws SQLException {
        Sql.drop(ds, effects, slots, wallets, items);
    }
}
