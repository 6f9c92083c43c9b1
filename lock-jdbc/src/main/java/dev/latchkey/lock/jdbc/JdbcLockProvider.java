package dev.latchkey.lock.jdbc;

import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.LockBackendException;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.lock.LockProvider;
import dev.latchkey.lock.jdbc.internal.DialectSql;
import dev.latchkey.lock.jdbc.internal.LeaseBackend;
import dev.latchkey.lock.jdbc.internal.OptionalMetrics;
import dev.latchkey.lock.jdbc.internal.RowLockBackend;
import dev.latchkey.lock.jdbc.internal.TableInstaller;
import dev.latchkey.lock.jdbc.spi.JdbcDialect;
import dev.latchkey.lock.jdbc.spi.SqlIdentifiers;
import dev.latchkey.lock.spi.BackendLockProvider;
import dev.latchkey.lock.spi.LockBackend;
import dev.latchkey.lock.spi.LockMetrics;
import dev.latchkey.lock.spi.LockValidation;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Distributed locks in a database table, on PostgreSQL, MariaDB, MySQL or H2 (detected from the
 * connection's metadata), in one of two {@linkplain JdbcLockMode modes}: lease rows
 * ({@link JdbcLockMode#LEASE}, the default) or row locks held by an open transaction
 * ({@link JdbcLockMode#ROW}).
 *
 * <pre>{@code
 * try (JdbcLockProvider locks = JdbcLockProvider.builder(dataSource)
 *         .createTableIfMissing(true)
 *         .build()) {
 *     try (LockLease lease = locks.lock("stock:laptop").acquire(Duration.ofSeconds(2))) {
 *         stock.decrement("laptop", lease.fencingToken());
 *     }
 * }
 * }</pre>
 *
 * <p>Every expiry is computed and compared on the database's clock: an application server whose
 * clock is off changes nothing. Fencing tokens are strictly increasing per name. In LEASE mode on
 * PostgreSQL, waiters queue in arrival order and a release hands the lock straight to the oldest
 * live one that has waited {@link Builder#handOffAfter} (until then whoever asks first takes it),
 * telling it by {@code LISTEN/NOTIFY} (one listener connection per provider, opened by the first
 * wait); elsewhere they sleep until the holder's lease runs out, with a capped poll as
 * the safety net. A database failure surfaces as {@link LockBackendException}, never as
 * contention.
 *
 * @since 0.1
 */
public final class JdbcLockProvider implements LockProvider {

    /** LEASE mode's longest sleep between a waiter's attempts (release signals make most shorter). */
    private static final long POLL_MILLIS = 200;
    /** How long a provider keeps listening with no waiter of its own, by default. */
    private static final Duration DEFAULT_LISTENER_IDLE_TIMEOUT = Duration.ofSeconds(10);
    /** How long a waiter has been queued before a release hands it the lock, by default. */
    private static final Duration DEFAULT_HAND_OFF_AFTER = Duration.ofMillis(100);

    /** The default table name. */
    public static final String DEFAULT_TABLE = "latchkey_locks";

    private final BackendLockProvider delegate;
    private final JdbcDialect dialect;
    private final JdbcLockMode mode;
    private final String tableName;

    private JdbcLockProvider(BackendLockProvider delegate, JdbcDialect dialect, JdbcLockMode mode, String tableName) {
        this.delegate = delegate;
        this.dialect = dialect;
        this.mode = mode;
        this.tableName = tableName;
    }

    /**
     * Starts a provider on {@code dataSource}. The data source's connections are borrowed per
     * statement (LEASE) or per lease (ROW) and always given back; the provider never closes the
     * data source.
     *
     * @throws NullPointerException if {@code dataSource} is null
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * The DDL that creates the lock table {@code tableName} (and, where the dialect has them, the
     * sequence ROW mode draws fencing tokens from), as {@code createTableIfMissing(true)} runs it.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code tableName} is not a plain identifier
     */
    public static String ddl(JdbcDialect dialect, String tableName) {
        Objects.requireNonNull(dialect, "dialect");
        DialectSql sql = DialectSql.load(dialect, SqlIdentifiers.tableName(tableName));
        return sql.ddl().stream().map(s -> s + ";").collect(Collectors.joining("\n\n"));
    }

    @Override
    public DistributedLock lock(String name) {
        return delegate.lock(name);
    }

    @Override
    public DistributedLock lock(String name, LockOptions options) {
        return delegate.lock(name, options);
    }

    @Override
    public DistributedLock lockAll(Collection<String> names, LockOptions options) {
        return delegate.lockAll(names, options);
    }

    @Override
    public LockOptions defaultOptions() {
        return delegate.defaultOptions();
    }

    /** The dialect detected at build time. */
    public JdbcDialect dialect() {
        return dialect;
    }

    /** The mode locks are held in. */
    public JdbcLockMode mode() {
        return mode;
    }

    /** The lock table's name. */
    public String tableName() {
        return tableName;
    }

    /**
     * Closes the provider: stops renewals, releases leases still held (a ROW-mode lease's
     * transaction is committed), and closes the release listener's connection. The data source
     * stays open. Idempotent.
     */
    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "JdbcLockProvider[" + dialect.displayName() + ", " + mode + ", table=" + tableName + "]";
    }

    /** Builds a {@link JdbcLockProvider}; not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private String tableName = DEFAULT_TABLE;
        private JdbcLockMode mode = JdbcLockMode.LEASE;
        private boolean createTableIfMissing;
        private LockOptions defaults = LockOptions.defaults();
        private Object meterRegistry;
        private Duration queryTimeout = Duration.ofSeconds(10);
        private boolean listenForReleases = true;
        private Duration listenerIdleTimeout = DEFAULT_LISTENER_IDLE_TIMEOUT;
        private Duration handOffAfter = DEFAULT_HAND_OFF_AFTER;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * The lock table. Default {@value JdbcLockProvider#DEFAULT_TABLE}. Written into SQL as it
         * is, so it must be a plain identifier, optionally schema-qualified.
         *
         * @throws NullPointerException if {@code tableName} is null
         * @throws IllegalArgumentException if it is not a plain identifier (see
         *     {@link SqlIdentifiers#tableName(String)})
         */
        public Builder tableName(String tableName) {
            this.tableName = SqlIdentifiers.tableName(tableName);
            return this;
        }

        /**
         * How locks are held. Default {@link JdbcLockMode#LEASE}.
         *
         * @throws NullPointerException if {@code mode} is null
         */
        public Builder mode(JdbcLockMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Whether {@link #build()} creates the table (and its sequence) if missing, with the DDL
         * of {@link JdbcLockProvider#ddl}. Default false: {@code build()} then only checks that the
         * table exists.
         */
        public Builder createTableIfMissing(boolean createTableIfMissing) {
            this.createTableIfMissing = createTableIfMissing;
            return this;
        }

        /**
         * The options of {@link JdbcLockProvider#lock(String)}. Default {@link LockOptions#defaults()}.
         *
         * @throws NullPointerException if {@code defaults} is null
         */
        public Builder defaults(LockOptions defaults) {
            this.defaults = Objects.requireNonNull(defaults, "defaults");
            return this;
        }

        /**
         * A Micrometer registry to report to: {@code latchkey.lock.acquire} (timer),
         * {@code latchkey.lock.contended}, {@code latchkey.lock.timeouts},
         * {@code latchkey.lock.leases.lost}, {@code latchkey.lock.leases.expired}, tagged
         * {@code backend=jdbc} (see {@link dev.latchkey.lock.micrometer.MicrometerLockMetrics}).
         * Default: no metrics.
         *
         * @throws NullPointerException if {@code registry} is null
         */
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * The longest a single lock statement may run before the driver cancels it and the
         * operation fails with {@link LockBackendException}. Rounded up to whole seconds (JDBC's
         * unit). In LEASE mode on PostgreSQL it is the borrowed connection's network timeout
         * instead (restored before the connection goes back): a statement that outlives it fails
         * and the driver closes that connection, which spares a timer task per statement.
         * Default 10 s.
         *
         * @throws NullPointerException if {@code queryTimeout} is null
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder queryTimeout(Duration queryTimeout) {
            this.queryTimeout = LockValidation.positive(queryTimeout, "queryTimeout");
            return this;
        }

        /**
         * Whether LEASE-mode waiters on PostgreSQL queue for a hand-off: a waiter's attempt
         * registers it in {@code <table>_queue}, and a release hands the lock straight to the
         * oldest live waiter that has waited {@link #handOffAfter} and tells it by
         * {@code LISTEN/NOTIFY} (one connection per provider,
         * borrowed from the data source by a wait and given back once no waiter has been left
         * for {@link #listenerIdleTimeout}). Off, waiters sleep until the holder's lease runs out
         * (200 ms poll cap) and whoever attempts first wins. Other databases and ROW mode ignore
         * it. Default true.
         */
        public Builder listenForReleases(boolean listenForReleases) {
            this.listenForReleases = listenForReleases;
            return this;
        }

        /**
         * How long the provider keeps its {@code LISTEN} connection after its last waiter is gone;
         * the next wait after that opens it again (that wait's first attempt does not queue, the
         * next one does). PostgreSQL signals every listening session of the database for each
         * {@code NOTIFY}, so providers that listen without waiting slow every hand-off of the
         * fleet. Used only with {@link #listenForReleases} on PostgreSQL. Default 10 s.
         *
         * @throws NullPointerException if {@code listenerIdleTimeout} is null
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder listenerIdleTimeout(Duration listenerIdleTimeout) {
            this.listenerIdleTimeout = LockValidation.positive(listenerIdleTimeout, "listenerIdleTimeout");
            return this;
        }

        /**
         * How long a waiter must have been queued before a release hands it the lock (LEASE mode on
         * PostgreSQL with {@link #listenForReleases}). Until then a release leaves the lock free for
         * whoever asks first, as a non-fair {@code ReentrantLock} does: a releaser that asks again
         * at once takes it straight back, one statement and no {@code NOTIFY} (with 8 processes
         * contending for one name, about 1.4 times the acquisitions per second of a hand-off on
         * every release); the queued waiters are told of the release only if the lock is still
         * free 2 ms later. Once a waiter has waited this
         * long, the next release hands the lock to it, oldest first, so no waiter waits much longer
         * than this plus the holders ahead of it. {@link Duration#ZERO} hands every release to the
         * oldest waiter at once (strictly first come, first served). Default 100 ms.
         *
         * @throws NullPointerException if {@code handOffAfter} is null
         * @throws IllegalArgumentException if it is negative
         */
        public Builder handOffAfter(Duration handOffAfter) {
            this.handOffAfter = LockValidation.notNegative(handOffAfter, "handOffAfter");
            return this;
        }

        /**
         * Detects the dialect, creates or checks the table, and returns the provider.
         *
         * @throws IllegalArgumentException if the database is not PostgreSQL, MariaDB, MySQL or H2
         * @throws LockBackendException if the database cannot be reached, or the table is missing
         *     and {@code createTableIfMissing} is false
         */
        public JdbcLockProvider build() {
            JdbcDialect dialect = JdbcDialect.detect(dataSource);
            DialectSql sql = DialectSql.load(dialect, tableName);
            if (createTableIfMissing) {
                TableInstaller.createIfMissing(dataSource, sql, tableName);
            }
            TableInstaller.verify(dataSource, sql, tableName);
            int timeoutSeconds = (int) Math.min(Integer.MAX_VALUE, (queryTimeout.toMillis() + 999) / 1000);
            LockBackend backend = mode == JdbcLockMode.LEASE
                    ? new LeaseBackend(dataSource, sql, timeoutSeconds, tableName, listenForReleases, POLL_MILLIS,
                            listenerIdleTimeout, handOffAfter)
                    : new RowLockBackend(dataSource, sql, timeoutSeconds);
            LockMetrics metrics = meterRegistry == null ? LockMetrics.NONE
                    : OptionalMetrics.micrometer(meterRegistry);
            BackendLockProvider delegate = BackendLockProvider.builder(backend)
                    .defaults(defaults)
                    .metrics(metrics)
                    // Without release signals (ROW-mode multi-locks, and LEASE off PostgreSQL) the
                    // poll cap is what a waiter sleeps at most when the holder's lease is long.
                    .maxPollInterval(Duration.ofMillis(mode == JdbcLockMode.ROW ? 50 : POLL_MILLIS))
                    .build();
            return new JdbcLockProvider(delegate, dialect, mode, tableName);
        }
    }
}
