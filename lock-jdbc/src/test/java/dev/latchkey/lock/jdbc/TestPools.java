package dev.latchkey.lock.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.testkit.db.Databases;
import dev.latchkey.testkit.db.TestDatabase;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One pool per database for this module's tests, large enough for ROW-mode holders and waiters. */
final class TestPools {

    private static final Map<String, HikariDataSource> POOLS = new ConcurrentHashMap<>();

    private TestPools() {
    }

    static TestDatabase database(String kind) {
        switch (kind) {
            case "postgresql":
                return Databases.postgres();
            case "mariadb":
                return Databases.mariadb();
            case "h2":
                return Databases.h2();
            default:
                throw new IllegalArgumentException("unknown database kind " + kind);
        }
    }

    static HikariDataSource pool(String kind) {
        return POOLS.computeIfAbsent(kind, k -> database(k).newDataSource(40));
    }
}
