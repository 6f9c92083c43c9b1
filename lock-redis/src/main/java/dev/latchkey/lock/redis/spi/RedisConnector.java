package dev.latchkey.lock.redis.spi;

import dev.latchkey.lock.redis.internal.JedisConnector;
import dev.latchkey.lock.redis.internal.LettuceConnector;

import java.util.List;
import java.util.function.Consumer;

/**
 * The one Redis adapter that Latchkey's Redis modules share: runs {@link RedisScript}s and carries
 * pub/sub messages on Lettuce ({@code RedisClient}, {@code RedisClusterClient}) or Jedis
 * ({@code UnifiedJedis}: {@code JedisPooled}, {@code RedisSentinelClient}, {@code JedisCluster}).
 * Both client libraries are optional: each factory touches only its own library, so a class path
 * with only one of them works.
 *
 * <p>Failures are loud and bounded: a connection error, a command timeout (the client's own
 * setting: Lettuce's {@code RedisURI} timeout, Jedis's socket timeout) or a script error is thrown
 * as {@link dev.latchkey.lock.LockBackendException}; nothing is reported as an empty result.
 *
 * <p>A connector opens the connections it needs from the client it is given (Lettuce: one command
 * connection and, on first {@link #subscribe}, one pub/sub connection; Jedis: the pool's
 * connections, one of them held by the subscription) and {@link #close()} closes exactly those,
 * never the client. Implementations are thread-safe.
 *
 * @since 0.1
 */
public interface RedisConnector extends AutoCloseable {

    /**
     * A connector on a standalone or Sentinel Lettuce client (Sentinel through its {@code RedisURI}).
     *
     * @throws NullPointerException if {@code client} is null
     * @throws dev.latchkey.lock.LockBackendException if the connection cannot be opened
     */
    static RedisConnector lettuce(io.lettuce.core.RedisClient client) {
        return LettuceConnector.standalone(client);
    }

    /**
     * A connector on a Lettuce Redis Cluster client.
     *
     * @throws NullPointerException if {@code client} is null
     * @throws dev.latchkey.lock.LockBackendException if the connection cannot be opened
     */
    static RedisConnector lettuce(io.lettuce.core.cluster.RedisClusterClient client) {
        return LettuceConnector.cluster(client);
    }

    /**
     * A connector on a Jedis client: {@code JedisPooled} (standalone), {@code RedisSentinelClient}
     * (Sentinel) or {@code JedisCluster}.
     *
     * @throws NullPointerException if {@code jedis} is null
     */
    static RedisConnector jedis(redis.clients.jedis.UnifiedJedis jedis) {
        return JedisConnector.create(jedis);
    }

    /**
     * Runs {@code script} by {@code EVALSHA}; if the server does not know it ({@code NOSCRIPT},
     * after a restart or {@code SCRIPT FLUSH}) runs it once by {@code EVAL}, which also caches it
     * again. In Cluster the call goes to the node of the first key's slot, so every key must
     * share that slot (use a hash tag).
     *
     * @return the reply converted to {@link Long} (integer), {@code byte[]} (bulk string),
     *     {@link List} of these (array), or null (nil)
     * @throws NullPointerException if an argument is null
     * @throws dev.latchkey.lock.LockBackendException if Redis cannot be reached, times out or the
     *     script fails
     */
    Object eval(RedisScript script, List<String> keys, List<byte[]> args);

    /**
     * Subscribes to {@code channel} and returns once Redis confirmed the subscription, so every
     * message published after this returns reaches {@code listener} (on a client thread: keep it
     * short and non-blocking). A message published while the connection is down is lost; after a
     * reconnect the subscription is restored.
     *
     * @throws NullPointerException if an argument is null
     * @throws dev.latchkey.lock.LockBackendException if the subscription is not confirmed within
     *     the client's timeout
     */
    Subscription subscribe(String channel, Consumer<String> listener);

    /** Whether this connector talks to a Redis Cluster (keys of one script must then share a slot). */
    boolean clustered();

    /** Closes the connections this connector opened; never the client. Idempotent. */
    @Override
    void close();

    /** An active subscription; {@link #close()} unsubscribes. */
    interface Subscription extends AutoCloseable {
        /** Unsubscribes. Idempotent; never throws. */
        @Override
        void close();
    }
}
