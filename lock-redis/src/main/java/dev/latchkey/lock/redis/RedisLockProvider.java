package dev.latchkey.lock.redis;

import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.lock.LockProvider;
import dev.latchkey.lock.micrometer.MicrometerLockMetrics;
import dev.latchkey.lock.redis.internal.RedisLockBackend;
import dev.latchkey.lock.redis.spi.RedisConnector;
import dev.latchkey.lock.spi.BackendLockProvider;
import dev.latchkey.lock.spi.LockMetrics;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The Redis token lock: {@code SET key token NX PX} with a compare-and-delete release, made
 * production grade. Works on Lettuce ({@code RedisClient}, standalone or Sentinel;
 * {@code RedisClusterClient}) and Jedis ({@code JedisPooled}, {@code RedisSentinelClient},
 * {@code JedisCluster}); both client libraries are optional, only the one passed to
 * {@code builder} is loaded.
 *
 * <ul>
 * <li><b>One round trip per operation</b>: acquire, release and extend are one Lua script call
 *     each, by SHA, with a transparent fallback after a restart or {@code SCRIPT FLUSH}.</li>
 * <li><b>Fencing tokens</b> strictly increase per name: one up per grant, and up to the server's
 *     {@code TIME} in microseconds whenever they fall more than a millisecond behind it, so they keep
 *     increasing across a restart without persistence.</li>
 * <li><b>Cluster-safe keys</b>: {@code <prefix>{<name>}} and its companions share one hash tag.</li>
 * <li><b>Hand-off waiting</b>: a waiter is queued on the server; a release gives the lock straight
 *     to the oldest live waiter that has waited {@link Builder#handOffAfter} and wakes only that
 *     one (one pub/sub connection per provider); while all are younger, whoever asks first takes
 *     it. No thundering herd, FIFO among waiters, and a capped jittered poll only as a safety net.</li>
 * <li><b>Failures are exceptions</b>: Redis down, paused or slow makes acquire, release and extend
 *     throw {@link dev.latchkey.lock.LockBackendException} within the client's command timeout
 *     (set it: Lettuce's default is 60 s).</li>
 * </ul>
 *
 * <pre>{@code
 * RedisClient client = RedisClient.create(RedisURI.builder().withHost("localhost").withPort(6379)
 *         .withTimeout(Duration.ofSeconds(2)).build());
 * try (LockProvider locks = RedisLockProvider.builder(client).build()) {
 *     try (LockLease lease = locks.lock("stock:laptop").acquire(Duration.ofSeconds(5))) {
 *         stockStore.decrement("laptop", lease.fencingToken());
 *     }
 * }
 * }</pre>
 *
 * <p>Closing the provider releases its live leases and closes the connections it opened; the
 * client stays the caller's.
 *
 * @since 0.1
 */
public final class RedisLockProvider implements LockProvider {

    /** The default key prefix. */
    public static final String DEFAULT_KEY_PREFIX = "latchkey:";

    /** The default of {@link Builder#handOffAfter(Duration)}. */
    public static final Duration DEFAULT_HAND_OFF_AFTER = Duration.ofMillis(20);

    private final BackendLockProvider delegate;
    private final RedisLockBackend backend;

    private RedisLockProvider(BackendLockProvider delegate, RedisLockBackend backend) {
        this.delegate = delegate;
        this.backend = backend;
    }

    /**
     * A provider on a Lettuce standalone or Sentinel client.
     *
     * @throws NullPointerException if {@code client} is null
     */
    public static Builder builder(io.lettuce.core.RedisClient client) {
        Objects.requireNonNull(client, "client");
        return new Builder(() -> RedisConnector.lettuce(client));
    }

    /**
     * A provider on a Lettuce Redis Cluster client.
     *
     * @throws NullPointerException if {@code client} is null
     */
    public static Builder builder(io.lettuce.core.cluster.RedisClusterClient client) {
        Objects.requireNonNull(client, "client");
        return new Builder(() -> RedisConnector.lettuce(client));
    }

    /**
     * A provider on a Jedis client: {@code JedisPooled}, {@code RedisSentinelClient} or
     * {@code JedisCluster}. One pooled connection is held by the provider's subscription once a
     * caller waits.
     *
     * @throws NullPointerException if {@code jedis} is null
     */
    public static Builder builder(redis.clients.jedis.UnifiedJedis jedis) {
        Objects.requireNonNull(jedis, "jedis");
        return new Builder(() -> RedisConnector.jedis(jedis));
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

    /** The Redis key of the lock {@code name} (for operators and tests). */
    public String keyOf(String name) {
        return backend.keys().lock(dev.latchkey.lock.spi.LockValidation.lockName(name));
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "RedisLockProvider[" + backend + "]";
    }

    /** At least 1 µs unless zero; at most ten years (a Lua number stays exact far beyond). */
    private static long micros(Duration d) {
        Duration capped = d.compareTo(Duration.ofDays(3650)) > 0 ? Duration.ofDays(3650) : d;
        return Math.max(d.isZero() ? 0 : 1, capped.toNanos() / 1_000);
    }

    /** Builds a {@link RedisLockProvider}; not thread-safe. */
    public static final class Builder {
        private final Supplier<RedisConnector> connector;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private LockOptions defaults = LockOptions.defaults();
        private Supplier<LockMetrics> metrics = () -> LockMetrics.NONE;
        private Duration maxPollInterval = Duration.ofMillis(500);
        private Duration handoffTimeout = Duration.ofSeconds(1);
        private Duration handOffAfter = DEFAULT_HAND_OFF_AFTER;

        private Builder(Supplier<RedisConnector> connector) {
            this.connector = connector;
        }

        /**
         * Prefixes every key and channel, to keep applications apart. Default {@code "latchkey:"}.
         *
         * @throws NullPointerException if {@code keyPrefix} is null
         * @throws IllegalArgumentException if it contains a brace (the lock adds its own hash tag)
         *     or a control character
         */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            for (int i = 0; i < keyPrefix.length(); i++) {
                char c = keyPrefix.charAt(i);
                if (c == '{' || c == '}' || Character.isISOControl(c)) {
                    throw new IllegalArgumentException("keyPrefix must not contain braces or control characters "
                            + "(each lock adds its own hash tag): \"" + keyPrefix + "\"");
                }
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * The options of {@link RedisLockProvider#lock(String)}. Default {@link LockOptions#defaults()}
         * (30 s lease, no auto-renewal).
         *
         * @throws NullPointerException if {@code defaults} is null
         */
        public Builder defaults(LockOptions defaults) {
            this.defaults = Objects.requireNonNull(defaults, "defaults");
            return this;
        }

        /**
         * Records acquire latency, contention, timeouts, leases lost and leases expired in
         * {@code registry}, tagged {@code backend=redis}. Default: no metrics (and no Micrometer needed).
         *
         * @throws NullPointerException if {@code registry} is null
         */
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
            Objects.requireNonNull(registry, "registry");
            this.metrics = () -> MicrometerLockMetrics.create(registry, "redis");
            return this;
        }

        /**
         * The longest a waiter sleeps without being handed the lock before it tries again (the
         * safety net for a lost message); jittered between half of it and all of it. Default 500 ms.
         *
         * @throws NullPointerException if {@code maxPollInterval} is null
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder maxPollInterval(Duration maxPollInterval) {
            this.maxPollInterval = dev.latchkey.lock.spi.LockValidation.positive(maxPollInterval, "maxPollInterval");
            return this;
        }

        /**
         * How long a released lock handed to a waiter stays reserved for it before anyone may
         * take it (bounds the stall when the waiter died); capped by the waiter's lease time.
         * Default 1 s.
         *
         * @throws NullPointerException if {@code handoffTimeout} is null
         * @throws IllegalArgumentException if it is shorter than 10 ms
         */
        public Builder handoffTimeout(Duration handoffTimeout) {
            Objects.requireNonNull(handoffTimeout, "handoffTimeout");
            if (handoffTimeout.toMillis() < 10) {
                throw new IllegalArgumentException("handoffTimeout must be at least 10 ms, was " + handoffTimeout);
            }
            this.handoffTimeout = handoffTimeout;
            return this;
        }

        /**
         * How long a waiter must have been queued before a release by a provider that takes the
         * lock back in a loop hands it the lock (a provider loops on a name when it attempted it
         * within 1 ms of releasing it, in the last second; any other release hands on at once).
         * Until then such a release leaves the lock free for whoever asks first, as a non-fair
         * {@code ReentrantLock} does: the releaser asking again at once takes it straight back, two
         * commands per acquisition and nobody woken; if the releasing provider has not taken it
         * back within 1 ms, it hands the lock to the oldest waiter after all. Once a waiter has waited this
         * long, the next release hands the lock to it, oldest first, so no waiter waits much longer
         * than this plus the holders ahead of it. {@link Duration#ZERO} hands every release to the
         * oldest waiter at once (strictly first come, first served). Default 20 ms.
         *
         * @throws NullPointerException if {@code handOffAfter} is null
         * @throws IllegalArgumentException if it is negative
         */
        public Builder handOffAfter(Duration handOffAfter) {
            this.handOffAfter = dev.latchkey.lock.spi.LockValidation.notNegative(handOffAfter, "handOffAfter");
            return this;
        }

        /**
         * Connects (a command connection, and the provider's one pub/sub subscription) and returns
         * the provider.
         *
         * @throws dev.latchkey.lock.LockBackendException if Redis cannot be reached
         */
        public RedisLockProvider build() {
            RedisConnector c = connector.get();
            RedisLockBackend backend = new RedisLockBackend(c, keyPrefix, maxPollInterval.toMillis(),
                    handoffTimeout.toMillis(), micros(handOffAfter));
            try {
                backend.start();
            } catch (RuntimeException e) {
                c.close();
                throw e;
            }
            BackendLockProvider delegate = BackendLockProvider.builder(backend).defaults(defaults)
                    .metrics(metrics.get()).maxPollInterval(maxPollInterval).build();
            return new RedisLockProvider(delegate, backend);
        }
    }
}
