package dev.latchkey.lock.spi;

import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.lock.LockProvider;
import dev.latchkey.lock.internal.BackendLock;
import dev.latchkey.lock.internal.ManagedLease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link LockProvider} every backend shares: it turns a {@link LockBackend}'s single attempts
 * into waiting locks with safe deadlines, auto-renewal, lost-lease listeners, metrics and
 * all-or-nothing multi-locks, so that the semantics are written once and every backend passes the
 * same lock contract. Backend providers ({@code RedisLockProvider}, {@code JdbcLockProvider},
 * {@link dev.latchkey.lock.LocalLockProvider}) build one of these around their backend.
 *
 * <p>Waiting: a waiter makes an attempt; if the lock is held it subscribes to the backend's
 * {@link ReleaseSignals} and attempts again (so a release between the first attempt and the
 * subscription is never missed), then sleeps until a release signal, the holder's remaining lease
 * as the failed attempt reported it, or a jittered poll cap, whichever is first.
 *
 * @since 0.1
 */
public final class BackendLockProvider implements LockProvider {

    private final LockBackend backend;
    private final LockOptions defaults;
    private final LockMetrics metrics;
    private final long maxPollNanos;
    private final boolean closeBackend;
    private final Set<ManagedLease> liveLeases = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private BackendLockProvider(Builder b) {
        this.backend = b.backend;
        this.defaults = b.defaults;
        this.metrics = b.metrics;
        this.maxPollNanos = b.maxPollInterval.toNanos();
        this.closeBackend = b.closeBackend;
    }

    /**
     * Starts a provider around {@code backend}.
     *
     * @throws NullPointerException if {@code backend} is null
     */
    public static Builder builder(LockBackend backend) {
        return new Builder(Objects.requireNonNull(backend, "backend"));
    }

    @Override
    public DistributedLock lock(String name) {
        return lock(name, defaults);
    }

    @Override
    public DistributedLock lock(String name, LockOptions options) {
        LockValidation.lockName(name);
        Objects.requireNonNull(options, "options");
        ensureOpen();
        return new BackendLock(this, name, List.of(name), options);
    }

    @Override
    public DistributedLock lockAll(Collection<String> names, LockOptions options) {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(options, "options");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("lockAll needs at least one name, got an empty collection");
        }
        // The canonical order: natural String order, duplicates removed. Every caller takes
        // overlapping sets in this order, so no two can hold-and-wait on each other.
        TreeSet<String> sorted = new TreeSet<>();
        for (String name : names) {
            sorted.add(LockValidation.lockName(name));
        }
        ensureOpen();
        List<String> canonical = List.copyOf(new ArrayList<>(sorted));
        return new BackendLock(this, String.join(",", canonical), canonical, options);
    }

    @Override
    public LockOptions defaultOptions() {
        return defaults;
    }

    /** The backend this provider drives. */
    public LockBackend backend() {
        return backend;
    }

    /** The metrics this provider reports to. */
    public LockMetrics metrics() {
        return metrics;
    }

    /** The longest a waiter sleeps without a signal before it tries again. */
    public long maxPollNanos() {
        return maxPollNanos;
    }

    /** A fresh 128-bit random owner token, hex encoded. */
    public static String newOwnerToken() {
        return OwnerTokens.next();
    }

    /** Throws {@link IllegalStateException} if this provider is closed. */
    public void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("lock provider is closed: " + backend);
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /** Called by leases: registers a live lease so {@link #close()} can release it. */
    public void leaseOpened(LockLease lease) {
        liveLeases.add((ManagedLease) lease);
    }

    /** Called by leases once released or lost. */
    public void leaseClosed(LockLease lease) {
        liveLeases.remove(lease);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (ManagedLease lease : liveLeases) {
            lease.releaseQuietly();
        }
        liveLeases.clear();
        if (closeBackend) {
            backend.close();
        }
    }

    @Override
    public String toString() {
        return "BackendLockProvider[" + backend + "]";
    }

    /** Builds a {@link BackendLockProvider}; not thread-safe. */
    public static final class Builder {
        private final LockBackend backend;
        private LockOptions defaults = LockOptions.defaults();
        private LockMetrics metrics = LockMetrics.NONE;
        private Duration maxPollInterval = Duration.ofMillis(500);
        private boolean closeBackend = true;

        private Builder(LockBackend backend) {
            this.backend = backend;
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
         * Where to report. Default {@link LockMetrics#NONE}.
         *
         * @throws NullPointerException if {@code metrics} is null
         */
        public Builder metrics(LockMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * The longest a waiter sleeps without a release signal before trying again; the actual
         * sleep is jittered between half of it and all of it, and is shorter when the holder's
         * remaining lease is known to be shorter. Default 500 ms.
         *
         * @throws NullPointerException if {@code maxPollInterval} is null
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder maxPollInterval(Duration maxPollInterval) {
            this.maxPollInterval = LockValidation.positive(maxPollInterval, "maxPollInterval");
            return this;
        }

        /** Whether {@link BackendLockProvider#close()} also closes the backend. Default true. */
        public Builder closeBackend(boolean closeBackend) {
            this.closeBackend = closeBackend;
            return this;
        }

        /** Returns the provider. */
        public BackendLockProvider build() {
            return new BackendLockProvider(this);
        }
    }
}
