package dev.latchkey.lock;

import dev.latchkey.lock.internal.LocalLockTable;
import dev.latchkey.lock.micrometer.MicrometerLockMetrics;
import dev.latchkey.lock.spi.BackendLockProvider;
import dev.latchkey.lock.spi.LockMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Collection;
import java.util.Objects;

/**
 * A {@link LockProvider} whose locks live in this JVM, with exactly the semantics of the
 * distributed backends: leases that expire on the monotonic clock ({@link System#nanoTime()}),
 * 128-bit owner tokens, fencing tokens strictly increasing per name, waiters woken at release
 * (one per release, no herd) and at expiry, interruptible waits, opt-in auto-renewal and
 * all-or-nothing {@link #lockAll}. Idle names cost no memory: released and expired grants are
 * evicted, and fencing tokens stay monotonic across evictions.
 *
 * <p>Use it for tests, for single-process deployments, or to guard in-JVM resources with the same
 * code that later runs on Redis or a database.
 *
 * <pre>{@code
 * try (LockProvider locks = new LocalLockProvider()) {
 *     try (LockLease lease = locks.lock("stock:laptop").acquire(Duration.ofSeconds(2))) {
 *         stockStore.decrement("laptop", lease.fencingToken());
 *     }
 * }
 * }</pre>
 *
 * <p>Two providers see the same names only if one was built {@linkplain Builder#sharing sharing}
 * the other's table; each {@code new LocalLockProvider()} has a table of its own.
 *
 * @since 0.1
 */
public final class LocalLockProvider implements LockProvider {

    private final LocalLockTable table;
    private final BackendLockProvider engine;

    /** A provider with its own table, the default {@link LockOptions} and no metrics. */
    public LocalLockProvider() {
        this(builder());
    }

    private LocalLockProvider(Builder b) {
        this.table = b.sharedTable != null ? b.sharedTable : new LocalLockTable();
        this.engine = BackendLockProvider.builder(table)
                .defaults(b.defaults)
                .metrics(b.metrics)
                .closeBackend(false)
                .build();
    }

    /** A builder with the defaults of {@link #LocalLockProvider()}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public DistributedLock lock(String name) {
        return engine.lock(name);
    }

    @Override
    public DistributedLock lock(String name, LockOptions options) {
        return engine.lock(name, options);
    }

    @Override
    public DistributedLock lockAll(Collection<String> names, LockOptions options) {
        return engine.lockAll(names, options);
    }

    @Override
    public LockOptions defaultOptions() {
        return engine.defaultOptions();
    }

    /** Releases the leases this provider granted that are still held; the shared table lives on. */
    @Override
    public void close() {
        engine.close();
    }

    /** Grants in this provider's table (live, or expired and not yet evicted); for tests and monitoring. */
    public int tableSize() {
        return table.size();
    }

    @Override
    public String toString() {
        return "LocalLockProvider[" + table + "]";
    }

    /** Builds a {@link LocalLockProvider}; not thread-safe. */
    public static final class Builder {
        private LockOptions defaults = LockOptions.defaults();
        private LockMetrics metrics = LockMetrics.NONE;
        private LocalLockTable sharedTable;

        private Builder() {
        }

        /**
         * The options of {@link LockProvider#lock(String)}. Default {@link LockOptions#defaults()}.
         *
         * @throws NullPointerException if {@code defaults} is null
         */
        public Builder defaults(LockOptions defaults) {
            this.defaults = Objects.requireNonNull(defaults, "defaults");
            return this;
        }

        /**
         * Where to report acquire latency, contention, timeouts and lost or expired leases.
         * Default {@link LockMetrics#NONE}.
         *
         * @throws NullPointerException if {@code metrics} is null
         */
        public Builder metrics(LockMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Reports to Micrometer, with the tag {@code backend=local}; see {@link MicrometerLockMetrics}
         * for the meters. Micrometer is an optional dependency: it is needed on the class path only
         * when this method is called. Default: no metrics.
         *
         * @throws NullPointerException if {@code registry} is null
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.metrics = MicrometerLockMetrics.create(registry, "local");
            return this;
        }

        /**
         * Shares the lock table of {@code other}: both providers then see the same names, like two
         * processes on one Redis. Each still releases only its own leases when closed. Default: a
         * table of its own.
         *
         * @throws NullPointerException if {@code other} is null
         */
        public Builder sharing(LocalLockProvider other) {
            this.sharedTable = Objects.requireNonNull(other, "other").table;
            return this;
        }

        /** Returns the provider. */
        public LocalLockProvider build() {
            return new LocalLockProvider(this);
        }
    }
}
