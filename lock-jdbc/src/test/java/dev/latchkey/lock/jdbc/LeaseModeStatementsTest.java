package dev.latchkey.lock.jdbc;

import dev.latchkey.lock.LockLease;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LEASE mode's cost in statements, counted on the way to the real database: an uncontended
 * acquire, a release and an extend are one statement each; a failed PostgreSQL attempt at a name
 * the provider saw contended lately learns the holder's remaining lease in that same statement.
 * Also: concurrent first starts all create the table without failing.
 */
class LeaseModeStatementsTest {

    @Test
    void uncontendedAcquireReleaseExtend_areOneStatementEach_onEveryDialect() throws Exception {
        for (String kind : List.of("postgresql", "mariadb", "h2")) {
            List<String> statements = new CopyOnWriteArrayList<>();
            DataSource ds = RecordingDataSource.wrap(TestPools.pool(kind), new CopyOnWriteArrayList<>(), statements);
            try (JdbcLockProvider locks = JdbcLockProvider.builder(ds).tableName("latchkey_count_locks")
                    .createTableIfMissing(true).build()) {
                String name = "count:" + UUID.randomUUID();
                locks.lock(name).tryAcquire().orElseThrow().release(); // the name's first use inserts its row
                statements.clear();
                LockLease lease = locks.lock(name).tryAcquire().orElseThrow();
                assertThat(statements).as("%s: statements of an uncontended acquire", kind).hasSize(1);
                statements.clear();
                assertThat(lease.extend(Duration.ofSeconds(10))).isTrue();
                assertThat(statements).as("%s: statements of an extend", kind).hasSize(1);
                statements.clear();
                lease.release();
                assertThat(statements).as("%s: statements of a release", kind).hasSize(1);
            }
        }
    }

    @Test
    void postgres_anAttemptAtANameContendedLately_learnsTheHoldersRemainingLeaseInTheSameStatement() {
        List<String> statements = new CopyOnWriteArrayList<>();
        DataSource ds = RecordingDataSource.wrap(TestPools.pool("postgresql"), new CopyOnWriteArrayList<>(), statements);
        try (JdbcLockProvider locks = JdbcLockProvider.builder(ds).tableName("latchkey_count_locks")
                .createTableIfMissing(true).build()) {
            String name = "count-held:" + UUID.randomUUID();
            LockLease held = locks.lock(name).tryAcquire().orElseThrow();
            // Not contended until now: the plain UPDATE finds the row held, a SELECT reads the lease.
            statements.clear();
            assertThat(locks.lock(name).tryAcquire()).isEmpty();
            assertThat(statements).as("statements of the first failed attempt").hasSize(2);
            assertThat(statements.get(0)).startsWith("UPDATE").doesNotContain("WITH");
            assertThat(statements.get(1)).startsWith("SELECT");
            // Contended now: one statement takes the row or reads the remaining lease.
            statements.clear();
            assertThat(locks.lock(name).tryAcquire()).isEmpty();
            assertThat(statements).as("statements of a later failed attempt").hasSize(1);
            assertThat(statements.get(0)).startsWith("WITH taken AS").contains("remaining_ms");
            held.release();
            statements.clear();
            LockLease next = locks.lock(name).tryAcquire().orElseThrow();
            assertThat(statements).as("statements of a successful attempt at a contended name").hasSize(1);
            next.release();
        }
    }

    @Test
    void postgres_longSchemaQualifiedTable_releaseNotifiesAndTheWaiterGetsTheLock() throws Exception {
        String schema = "s" + "x".repeat(53);
        String table = schema + "." + "t" + "y".repeat(53);
        try (Connection c = TestPools.pool("postgresql").getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        }
        try (JdbcLockProvider a = JdbcLockProvider.builder(TestPools.pool("postgresql")).tableName(table)
                .createTableIfMissing(true).build();
             JdbcLockProvider b = JdbcLockProvider.builder(TestPools.pool("postgresql")).tableName(table).build()) {
            String name = "long-table:" + UUID.randomUUID();
            LockLease held = a.lock(name).tryAcquire().orElseThrow();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<LockLease> waiter = pool.submit(() -> b.lock(name).acquire(Duration.ofSeconds(20)));
                Thread.sleep(200);
                held.release();
                waiter.get(30, TimeUnit.SECONDS).release();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void postgres_concurrentFirstStarts_allCreateTheTableWithoutFailing() throws Exception {
        String table = "latchkey_race_" + UUID.randomUUID().toString().substring(0, 8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<JdbcLockProvider>> starts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                starts.add(() -> JdbcLockProvider.builder(TestPools.pool("postgresql")).tableName(table)
                        .mode(JdbcLockMode.ROW).createTableIfMissing(true).build());
            }
            for (Future<JdbcLockProvider> f : pool.invokeAll(starts)) {
                f.get(60, TimeUnit.SECONDS).close();
            }
        } finally {
            pool.shutdownNow();
            try (Connection c = TestPools.pool("postgresql").getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
                s.execute("DROP SEQUENCE IF EXISTS " + table + "_fencing");
            }
        }
    }
}
