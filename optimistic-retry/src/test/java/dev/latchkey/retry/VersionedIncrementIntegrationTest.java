package dev.latchkey.retry;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.testkit.db.Databases;
import dev.latchkey.testkit.db.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lost updates on real databases: 8 threads each make 200 read-modify-write increments of one row, each one a
 * transaction guarded by {@link VersionedUpdate} and retried by {@link Retry}. Every increment must land: the
 * row ends at exactly 1600, and its version with it. A missing server fails the test (testkit never skips).
 */
class VersionedIncrementIntegrationTest {

    private static final int THREADS = 8;
    private static final int INCREMENTS = 200;

    static Stream<Arguments> databases() {
        return Stream.of(
                Arguments.of("postgresql", (Supplier<TestDatabase>) Databases::postgres),
                Arguments.of("mariadb", (Supplier<TestDatabase>) Databases::mariadb),
                Arguments.of("h2", (Supplier<TestDatabase>) Databases::h2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void eightThreads_twoHundredVersionCheckedIncrementsEach_endAtExactly1600(String kind, Supplier<TestDatabase> database)
            throws Exception {
        TestDatabase db = database.get();
        String table = "retry_counter_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try (HikariDataSource ds = db.newDataSource(THREADS)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, n BIGINT NOT NULL, version BIGINT NOT NULL)");
                s.execute("INSERT INTO " + table + " (id, n, version) VALUES (1, 0, 0)");
            }
            try {
                AtomicInteger conflicts = new AtomicInteger();
                Retry retry = Retry.of(RetryPolicy.builder()
                        .name("increment-" + kind)
                        .maxAttempts(200)
                        .backoff(Backoff.exponential(Duration.ofMillis(1), 2.0, Duration.ofMillis(20))
                                .withJitter(Jitter.FULL))
                        .retryOn(ConcurrencyConflictException.class)
                        .listener(new RetryListener() {
                            @Override
                            public void onAttemptFailed(int attempt, Throwable failure) {
                                if (failure instanceof ConcurrencyConflictException) {
                                    conflicts.incrementAndGet();
                                }
                            }
                        })
                        .build());
                VersionedUpdate update = VersionedUpdate.of(
                        "UPDATE " + table + " SET n = ?, version = version + 1 WHERE id = ? AND version = ?");
                String select = "SELECT n, version FROM " + table + " WHERE id = 1";

                AtomicInteger committed = new AtomicInteger();
                CountDownLatch start = new CountDownLatch(1);
                ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < INCREMENTS; i++) {
                            retry.call(() -> {
                                incrementOnce(ds, select, update);
                                return null;
                            });
                            committed.incrementAndGet();
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : futures) {
                    f.get(5, TimeUnit.MINUTES);
                }
                pool.shutdown();

                long[] row = read(ds, select);
                System.out.printf("%s: %d increments by %d threads, %d conflicts retried, final n=%d version=%d%n",
                        kind, committed.get(), THREADS, conflicts.get(), row[0], row[1]);
                assertThat(committed).hasValue(THREADS * INCREMENTS);
                assertThat(row[0]).as("n after %d increments: a lower value is a lost update", THREADS * INCREMENTS)
                        .isEqualTo(THREADS * INCREMENTS);
                assertThat(row[1]).as("version advanced once per committed increment").isEqualTo(THREADS * INCREMENTS);
            } finally {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP TABLE " + table);
                }
            }
        }
    }

    /** One read-modify-write transaction: the unit a retry must wrap. */
    private static void incrementOnce(HikariDataSource ds, String select, VersionedUpdate update) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                long[] row = read(c, select);
                update.execute(c, row[0] + 1, 1, row[1]);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static long[] read(HikariDataSource ds, String select) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return read(c, select);
        }
    }

    private static long[] read(Connection c, String select) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(select); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("counter row missing");
            }
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }
}
