package dev.latchkey.lock.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.lock.LockBackendException;
import dev.latchkey.lock.LockLease;
import dev.latchkey.testkit.db.Databases;
import dev.latchkey.testkit.db.TestDatabase;
import dev.latchkey.testkit.proxy.FaultProxy;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A database that cannot be reached, or a pool with nothing to lend, is a
 * {@link LockBackendException} within the configured timeouts: never a hang, never an empty
 * result that looks like contention. (The preemptive timeouts only guard against a hang.)
 */
class UnreachableDatabaseTest {

    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @Test
    void acquire_whenTheProxyCutsTheDatabase_throwsLockBackendException() throws Exception {
        TestDatabase db = Databases.postgres();
        URI target = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        try (FaultProxy proxy = FaultProxy.start(target.getHost(), target.getPort());
             HikariDataSource pool = pool(db.jdbcUrlVia(proxy.host(), proxy.port()), db, 2, 2000)) {
            JdbcLockProvider locks = JdbcLockProvider.builder(pool).tableName("latchkey_fault_locks")
                    .createTableIfMissing(true).queryTimeout(Duration.ofSeconds(2)).build();
            String name = "cut:" + UUID.randomUUID();
            locks.lock(name).tryAcquire().orElseThrow().release();

            proxy.blackhole();
            proxy.cutAll();
            assertTimeoutPreemptively(HANG_GUARD, () -> {
                assertThatThrownBy(() -> locks.lock(name).tryAcquire())
                        .as("acquire with the database cut off").isInstanceOf(LockBackendException.class);
                assertThatThrownBy(() -> locks.lock(name).acquire(Duration.ofSeconds(1)))
                        .as("a waiting acquire with the database cut off").isInstanceOf(LockBackendException.class);
            });

            proxy.pass();
            LockLease again = assertTimeoutPreemptively(HANG_GUARD, () -> locks.lock(name).acquire(Duration.ofSeconds(10)));
            assertThat(again.isHeld()).as("acquire once the database is back").isTrue();
            again.release();
            locks.close();
        }
    }

    @Test
    void acquire_withNoFreeConnectionInThePool_failsClearlyWithinThePoolTimeout() throws Exception {
        TestDatabase db = Databases.postgres();
        try (HikariDataSource pool = pool(db.jdbcUrl(), db, 1, 500);
             JdbcLockProvider locks = JdbcLockProvider.builder(pool).tableName("latchkey_fault_locks")
                     .createTableIfMissing(true).build()) {
            try (Connection taken = pool.getConnection()) {
                assertTimeoutPreemptively(HANG_GUARD, () -> assertThatThrownBy(
                        () -> locks.lock("pool:" + UUID.randomUUID()).tryAcquire())
                        .isInstanceOf(LockBackendException.class)
                        .hasMessageContaining("pool exhausted or database unreachable"));
            }
        }
    }

    @Test
    void rowAcquire_withNoFreeConnectionInThePool_failsClearlyWithinThePoolTimeout() throws Exception {
        TestDatabase db = Databases.mariadb();
        try (HikariDataSource pool = pool(db.jdbcUrl(), db, 1, 500);
             JdbcLockProvider locks = JdbcLockProvider.builder(pool).tableName("latchkey_fault_locks")
                     .mode(JdbcLockMode.ROW).createTableIfMissing(true).build()) {
            String name = "pool-row:" + UUID.randomUUID();
            // The one connection is the holder's transaction: a second caller has none to use.
            try (LockLease held = locks.lock(name).tryAcquire().orElseThrow()) {
                assertTimeoutPreemptively(HANG_GUARD, () -> assertThatThrownBy(
                        () -> locks.lock(name).acquire(Duration.ofSeconds(5)))
                        .isInstanceOf(LockBackendException.class)
                        .hasMessageContaining("pool exhausted or database unreachable"));
                assertThat(held.isHeld()).isTrue();
            }
        }
    }

    private static HikariDataSource pool(String url, TestDatabase db, int size, long connectionTimeoutMillis) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (!db.user().isEmpty()) {
            config.setUsername(db.user());
            config.setPassword(db.password());
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(Math.max(250, connectionTimeoutMillis));
        config.setValidationTimeout(250);
        if (url.startsWith("jdbc:postgresql")) {
            config.addDataSourceProperty("connectTimeout", "2");
            config.addDataSourceProperty("socketTimeout", "5");
        }
        return new HikariDataSource(config);
    }
}
