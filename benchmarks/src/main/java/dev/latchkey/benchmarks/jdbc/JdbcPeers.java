package dev.latchkey.benchmarks.jdbc;

import dev.latchkey.benchmarks.jdbc.ContendedRun.Client;
import dev.latchkey.benchmarks.jdbc.ContendedRun.Peer;
import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.jdbc.JdbcLockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * The contenders of {@link JdbcLockBenchmark}, each set up the way an application would use it for
 * mutual exclusion: Latchkey's LEASE mode, ShedLock (which does not wait, so it is polled in a tight
 * loop), Spring Integration's {@code JdbcLockRegistry} (its own polling, default 100 ms between
 * tries), and the plain conditional {@code UPDATE} polled in a tight loop on one connection.
 */
final class JdbcPeers {

    static final String SHEDLOCK_TABLE = "latchkey_bench_shedlock";
    static final String SPRING_PREFIX = "latchkey_bench_int_";

    private JdbcPeers() {
    }

    /**
     * Latchkey's LEASE mode: with the hand-off queue and the default {@code handOffAfter}, with
     * {@code handOffAfter} {@code fifo} (every release hands on: first come, first served), or
     * without the queue ({@code listen} false).
     */
    static Peer latchkey(String table, boolean listen, boolean fifo) {
        return new Peer() {
            @Override
            public String label() {
                return "latchkey LEASE" + (!listen ? " (listenForReleases off)"
                        : fifo ? " (handOffAfter 0: first come first served)" : " (default: hand-off queue)");
            }

            @Override
            public Client open(DataSource ds, String lockName) {
                JdbcLockProvider.Builder builder = JdbcLockProvider.builder(ds).tableName(table).listenForReleases(listen);
                if (fifo) {
                    builder.handOffAfter(Duration.ZERO);
                }
                JdbcLockProvider provider = builder.build();
                DistributedLock lock = provider.lock(lockName);
                return new Client() {
                    @Override
                    public Runnable acquire(Duration maxWait) throws InterruptedException {
                        return lock.tryAcquire(maxWait).<Runnable>map(l -> l::release).orElse(null);
                    }

                    @Override
                    public void close() {
                        provider.close();
                    }
                };
            }
        };
    }

    static Peer shedLock() {
        return new Peer() {
            @Override
            public String label() {
                return "ShedLock 7.10.1 JdbcTemplate, usingDbTime, polled";
            }

            @Override
            public void setUp(DataSource admin) throws SQLException {
                try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE IF NOT EXISTS " + SHEDLOCK_TABLE + " (name VARCHAR(64) NOT NULL PRIMARY KEY,"
                            + " lock_until TIMESTAMP NOT NULL, locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT NULL)");
                }
            }

            @Override
            public Client open(DataSource ds, String lockName) {
                JdbcTemplateLockProvider provider = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                        .withJdbcTemplate(new JdbcTemplate(ds))
                        .withTableName(SHEDLOCK_TABLE)
                        .usingDbTime()
                        .build());
                return maxWait -> {
                    long deadline = System.nanoTime() + maxWait.toNanos();
                    do {
                        Optional<SimpleLock> lock = provider.lock(
                                new LockConfiguration(Instant.now(), lockName, Duration.ofSeconds(30), Duration.ZERO));
                        if (lock.isPresent()) {
                            return lock.get()::unlock;
                        }
                    } while (System.nanoTime() - deadline < 0);
                    return null;
                };
            }
        };
    }

    static Peer springIntegration() {
        return new Peer() {
            @Override
            public String label() {
                return "Spring Integration 7.1.2 JdbcLockRegistry";
            }

            @Override
            public void setUp(DataSource admin) throws SQLException {
                try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE IF NOT EXISTS " + SPRING_PREFIX + "LOCK (LOCK_KEY CHAR(36) NOT NULL,"
                            + " REGION VARCHAR(100) NOT NULL, CLIENT_ID CHAR(36), CREATED_DATE TIMESTAMP NOT NULL,"
                            + " EXPIRED_AFTER TIMESTAMP NOT NULL, CONSTRAINT " + SPRING_PREFIX
                            + "LOCK_PK PRIMARY KEY (LOCK_KEY, REGION))");
                }
            }

            @Override
            public Client open(DataSource ds, String lockName) {
                DefaultLockRepository repository = new DefaultLockRepository(ds);
                repository.setPrefix(SPRING_PREFIX);
                repository.setTransactionManager(new DataSourceTransactionManager(ds));
                repository.afterPropertiesSet();
                repository.afterSingletonsInstantiated();
                JdbcLockRegistry registry = new JdbcLockRegistry(repository);
                Lock lock = registry.obtain(lockName);
                return new Client() {
                    @Override
                    public Runnable acquire(Duration maxWait) throws InterruptedException {
                        return lock.tryLock(maxWait.toMillis(), TimeUnit.MILLISECONDS) ? lock::unlock : null;
                    }

                    @Override
                    public void close() {
                        repository.close();
                    }
                };
            }
        };
    }

    /** The baseline: the conditional UPDATE polled in a tight loop on one held connection. */
    static Peer rawPolling(String table) {
        return new Peer() {
            @Override
            public String label() {
                return "plain conditional UPDATE, polled";
            }

            @Override
            public Client open(DataSource ds, String lockName) throws SQLException {
                String now = "CAST(EXTRACT(EPOCH FROM statement_timestamp()) * 1000 AS BIGINT)";
                String owner = UUID.randomUUID().toString().replace("-", "");
                Connection c = ds.getConnection();
                c.setAutoCommit(true);
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
                        + " (lock_name, owner_token, fencing_token, expires_at) VALUES (?, NULL, 0, 0)"
                        + " ON CONFLICT (lock_name) DO NOTHING")) {
                    insert.setString(1, lockName);
                    insert.executeUpdate();
                }
                PreparedStatement acquire = c.prepareStatement("UPDATE " + table + " SET owner_token = ?,"
                        + " fencing_token = fencing_token + 1, expires_at = " + now + " + 30000 WHERE lock_name = ?"
                        + " AND (owner_token IS NULL OR expires_at <= " + now + ") RETURNING fencing_token");
                PreparedStatement release = c.prepareStatement("UPDATE " + table + " SET owner_token = NULL"
                        + " WHERE lock_name = ? AND owner_token = ?");
                acquire.setString(1, owner);
                acquire.setString(2, lockName);
                release.setString(1, lockName);
                release.setString(2, owner);
                Runnable unlock = () -> {
                    try {
                        release.executeUpdate();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                };
                return new Client() {
                    @Override
                    public Runnable acquire(Duration maxWait) throws SQLException {
                        long deadline = System.nanoTime() + maxWait.toNanos();
                        do {
                            try (ResultSet rs = acquire.executeQuery()) {
                                if (rs.next()) {
                                    return unlock;
                                }
                            }
                        } while (System.nanoTime() - deadline < 0);
                        return null;
                    }

                    @Override
                    public void close() throws SQLException {
                        c.close();
                    }
                };
            }
        };
    }
}
