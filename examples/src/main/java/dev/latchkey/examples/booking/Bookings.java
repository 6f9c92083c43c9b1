package dev.latchkey.examples.booking;

import dev.latchkey.examples.Settings;
import dev.latchkey.examples.Sql;

import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/** Seed 004's reservation service: bookings of slots, one per slot. */
final class Bookings implements AutoCloseable {

    private final DataSource ds;
    private final Settings settings;
    private final String table = Sql.freshTable("bookings");

    Bookings(DataSource ds, Settings settings) throws SQLException {
        this.ds = ds;
        this.settings = settings;
        Sql.update(ds, "CREATE TABLE " + table + " (id VARCHAR(40) PRIMARY KEY, slot VARCHAR(64) NOT NULL,"
                + " user_id VARCHAR(32) NOT NULL, request_key VARCHAR(255) NOT NULL)");
    }

    /** Books the slot if it is free: check, pause, insert. Safe only when the caller holds the slot's lock. */
    String book(String slot, String user, String requestKey) throws SQLException, InterruptedException {
        if (Sql.queryLong(ds, "SELECT COUNT(*) FROM " + table + " WHERE slot = ?", slot) > 0) {
            return "TAKEN";
        }
        settings.pauseBetweenCheckAndAct();
        String id = UUID.randomUUID().toString();
        Sql.update(ds, "INSERT INTO " + table + " (id, slot, user_id, request_key) VALUES (?, ?, ?, ?)",
                id, slot, user, requestKey);
        return "BOOKED " + id;
    }

    long bookings(String slot) throws SQLException {
        return Sql.queryLong(ds, "SELECT COUNT(*) FROM " + table + " WHERE slot = ?", slot);
    }

    /** Bookings made twice for one request (a retried request executed again). */
    long duplicateExecutions() throws SQLException {
        return Sql.queryLong(ds, "SELECT COUNT(*) - COUNT(DISTINCT request_key) FROM " + table);
    }

    @Override
    public void close() throws SQLException {
        Sql.drop(ds, table);
    }
}
