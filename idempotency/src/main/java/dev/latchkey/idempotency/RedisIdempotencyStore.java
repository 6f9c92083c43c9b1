package dev.latchkey.idempotency;

import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.idempotency.spi.StoredOutcome;
import dev.latchkey.lock.redis.spi.RedisConnector;
import dev.latchkey.lock.redis.spi.RedisScript;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An {@link IdempotencyStore} in Redis, through Lettuce ({@code RedisClient},
 * {@code RedisClusterClient}) or Jedis ({@code UnifiedJedis}) over the same adapter layer as the
 * Redis lock. Each record is one hash at {@code <prefix>{<key>}}; the hash tag keeps a record on one
 * Cluster slot. Claim, complete and release are one Lua script call each, so each is atomic, and
 * every deadline is computed from Redis's {@code TIME} in milliseconds and enforced with
 * {@code PEXPIREAT}: application clocks play no part, and Redis removes expired records itself.
 *
 * <p>An in-progress record stays one extra in-progress timeout after its deadline so that the next
 * claim can report a takeover; after that it is gone and the next claim is an ordinary one.
 * Durability is Redis's: without persistence a restart forgets every record. {@link #close()}
 * closes the connections this store opened, never the client.
 *
 * @since 0.1
 */
public final class RedisIdempotencyStore implements IdempotencyStore, AutoCloseable {

    /** The default key prefix. */
    public static final String DEFAULT_KEY_PREFIX = "latchkey:idem:";

    private static final RedisScript CLAIM = script("claim.lua");
    private static final RedisScript COMPLETE = script("complete.lua");
    private static final RedisScript RELEASE = script("release.lua");

    private final RedisConnector redis;
    private final String keyPrefix;

    private RedisIdempotencyStore(RedisConnector redis, String keyPrefix) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
    }

    /**
     * Starts a builder on a standalone or Sentinel Lettuce client.
     *
     * @param client the client; the store opens its own connection from it
     * @return a new builder
     * @throws NullPointerException if {@code client} is null
     */
    public static Builder builder(io.lettuce.core.RedisClient client) {
        Objects.requireNonNull(client, "client");
        return new Builder(() -> RedisConnector.lettuce(client));
    }

    /**
     * Starts a builder on a Lettuce Redis Cluster client.
     *
     * @param client the client; the store opens its own connection from it
     * @return a new builder
     * @throws NullPointerException if {@code client} is null
     */
    public static Builder builder(io.lettuce.core.cluster.RedisClusterClient client) {
        Objects.requireNonNull(client, "client");
        return new Builder(() -> RedisConnector.lettuce(client));
    }

    /**
     * Starts a builder on a Jedis client ({@code JedisPooled} or {@code JedisCluster}).
     *
     * @param jedis the client
     * @return a new builder
     * @throws NullPointerException if {@code jedis} is null
     */
    public static Builder builder(redis.clients.jedis.UnifiedJedis jedis) {
        Objects.requireNonNull(jedis, "jedis");
        return new Builder(() -> RedisConnector.jedis(jedis));
    }

    @Override
    public ClaimResult claim(String key, byte[] fingerprint, String claimToken, Duration inProgressTimeout) {
        List<?> reply = (List<?>) eval(CLAIM, key, "claim", fingerprint, utf8(claimToken),
                utf8(Long.toString(inProgressTimeout.toMillis())));
        long kind = (Long) reply.get(0);
        if (kind == 1) {
            return ClaimResult.claimed((Long) reply.get(1) > 1);
        }
        byte[] storedFingerprint = (byte[]) reply.get(1);
        if (kind == 2) {
            return ClaimResult.inProgress(storedFingerprint);
        }
        StoredOutcome outcome = StoredOutcome.valueOf(new String((byte[]) reply.get(2), StandardCharsets.UTF_8));
        return ClaimResult.completed(storedFingerprint, outcome, (byte[]) reply.get(3));
    }

    @Override
    public boolean complete(String key, String claimToken, StoredOutcome outcome, byte[] payload, Duration retention) {
        Object reply = eval(COMPLETE, key, "complete", utf8(claimToken), utf8(outcome.name()), payload,
                utf8(Long.toString(retention.toMillis())));
        return isOne(reply);
    }

    @Override
    public boolean release(String key, String claimToken) {
        return isOne(eval(RELEASE, key, "release", utf8(claimToken)));
    }

    private static boolean isOne(Object reply) {
        return Long.valueOf(1).equals(reply);
    }

    /**
     * The Redis key of the record for {@code key} (for operators and tests).
     *
     * @param key an idempotency key
     * @return the Redis key
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code key} is not a valid idempotency key
     */
    public String redisKeyOf(String key) {
        return keyPrefix + '{' + dev.latchkey.idempotency.internal.IdempotencyValidation.key(key) + '}';
    }

    /** Closes the connections this store opened; never the client. Idempotent. */
    @Override
    public void close() {
        redis.close();
    }

    @Override
    public String toString() {
        return "RedisIdempotencyStore{keyPrefix=" + keyPrefix + '}';
    }

    private Object eval(RedisScript script, String key, String what, byte[]... args) {
        try {
            return redis.eval(script, List.of(keyPrefix + '{' + key + '}'), List.of(args));
        } catch (RuntimeException e) {
            throw new IdempotencyBackendException(key, "idempotency store: " + what + " failed for key \"" + key
                    + "\": " + e.getMessage(), e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static RedisScript script(String name) {
        return RedisScript.fromResource(dev.latchkey.idempotency.internal.IdempotencyValidation.class, "lua/" + name);
    }

    /**
     * Configures a {@link RedisIdempotencyStore}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final Supplier<RedisConnector> connector;
        private String keyPrefix = DEFAULT_KEY_PREFIX;

        private Builder(Supplier<RedisConnector> connector) {
            this.connector = connector;
        }

        /**
         * Prefixes every record's key, to keep applications apart. Default
         * {@value RedisIdempotencyStore#DEFAULT_KEY_PREFIX}.
         *
         * @param keyPrefix the prefix, possibly empty
         * @return this builder
         * @throws NullPointerException if {@code keyPrefix} is null
         * @throws IllegalArgumentException if it contains a brace (each record adds its own hash
         *     tag) or a control character
         */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            for (int i = 0; i < keyPrefix.length(); i++) {
                char c = keyPrefix.charAt(i);
                if (c == '{' || c == '}' || Character.isISOControl(c)) {
                    throw new IllegalArgumentException("keyPrefix must not contain braces or control characters "
                            + "(each record adds its own hash tag): \"" + keyPrefix + "\"");
                }
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * Opens the store's connection.
         *
         * @return the store
         * @throws IdempotencyBackendException if Redis cannot be reached
         */
        public RedisIdempotencyStore build() {
            RedisConnector c;
            try {
                c = connector.get();
            } catch (RuntimeException e) {
                throw new IdempotencyBackendException(null, "cannot connect to Redis: " + e.getMessage(), e);
            }
            return new RedisIdempotencyStore(c, keyPrefix);
        }
    }
}
