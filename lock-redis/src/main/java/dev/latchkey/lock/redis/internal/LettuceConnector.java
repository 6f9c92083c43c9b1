package dev.latchkey.lock.redis.internal;

import dev.latchkey.lock.LockBackendException;
import dev.latchkey.lock.redis.spi.RedisConnector;
import dev.latchkey.lock.redis.spi.RedisScript;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@link RedisConnector} on Lettuce: one multiplexed command connection (String keys, byte[]
 * values) and, on first subscribe, one pub/sub connection. Only loaded through
 * {@link RedisConnector#lettuce}, so Jedis-only class paths never touch it.
 *
 * <p>Calls wait for their reply without reacting to interrupts (the reply of a lock script must
 * be known, or a grant could leak) and restore the interrupt flag afterwards; the wait is bounded
 * by the connection's command timeout.
 */
public final class LettuceConnector implements RedisConnector {

    private static final RedisCodec<String, byte[]> CODEC = ReplyOutput.CODEC;

    /** The longest {@link #close()} waits for the connections to be closed. */
    static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final String description;
    private final StatefulConnection<String, byte[]> connection;
    private final BaseRedisAsyncCommands<String, byte[]> commands;
    private final Supplier<StatefulRedisPubSubConnection<String, String>> pubSubFactory;
    private final boolean clustered;
    private final ReentrantLock pubSubLock = new ReentrantLock();
    private StatefulRedisPubSubConnection<String, String> pubSub;
    private volatile boolean closed;

    private LettuceConnector(String description, StatefulConnection<String, byte[]> connection,
                             BaseRedisAsyncCommands<String, byte[]> commands,
                             Supplier<StatefulRedisPubSubConnection<String, String>> pubSubFactory, boolean clustered) {
        this.description = description;
        this.connection = connection;
        this.commands = commands;
        this.pubSubFactory = pubSubFactory;
        this.clustered = clustered;
    }

    /** A connector on a standalone (or Sentinel) client. */
    public static RedisConnector standalone(RedisClient client) {
        Objects.requireNonNull(client, "client");
        try {
            var c = client.connect(CODEC);
            return new LettuceConnector("lettuce", c, c.async(), client::connectPubSub, false);
        } catch (RuntimeException e) {
            throw new LockBackendException("cannot connect to Redis with Lettuce: " + e.getMessage(), e);
        }
    }

    /** A connector on a Cluster client. */
    public static RedisConnector cluster(RedisClusterClient client) {
        Objects.requireNonNull(client, "client");
        try {
            var c = client.connect(CODEC);
            return new LettuceConnector("lettuce-cluster", c, c.async(), client::connectPubSub, true);
        } catch (RuntimeException e) {
            throw new LockBackendException("cannot connect to Redis Cluster with Lettuce: " + e.getMessage(), e);
        }
    }

    @Override
    public Object eval(RedisScript script, List<String> keys, List<byte[]> args) {
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(args, "args");
        try {
            return await(commands.dispatch(CommandType.EVALSHA, new ReplyOutput(),
                    scriptArgs(new CommandArgs<>(CODEC).add(script.sha1()), keys, args)), script);
        } catch (NoScript e) {
            // Restarted or flushed: EVAL runs it and caches it again for the next EVALSHA.
            return await(commands.dispatch(CommandType.EVAL, new ReplyOutput(),
                    scriptArgs(new CommandArgs<>(CODEC).add(script.source()), keys, args)), script);
        }
    }

    private static CommandArgs<String, byte[]> scriptArgs(CommandArgs<String, byte[]> a, List<String> keys,
                                                          List<byte[]> args) {
        // Keys are added as keys, so that a Cluster connection routes by the first key's slot.
        a.add(keys.size());
        for (String k : keys) {
            a.addKey(k);
        }
        for (byte[] v : args) {
            a.addValue(v);
        }
        return a;
    }

    private Object await(RedisFuture<Object> future, RedisScript script) {
        Duration timeout = connection.getTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (TimeoutException e) {
                    future.cancel(false);
                    throw new LockBackendException("Redis did not answer " + script.name() + " within the command timeout of "
                            + timeout + " (" + description + ")", e);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RedisNoScriptException) {
                        throw new NoScript();
                    }
                    throw new LockBackendException("Redis failed running " + script.name() + " (" + description + "): "
                            + cause, cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Subscription subscribe(String channel, Consumer<String> listener) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(listener, "listener");
        StatefulRedisPubSubConnection<String, String> c = pubSubConnection();
        RedisPubSubAdapter<String, String> adapter = new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                if (channel.equals(ch)) {
                    listener.accept(message);
                }
            }
        };
        c.addListener(adapter);
        try {
            // Completes on Redis's subscribe confirmation: later publishes reach the listener.
            c.async().subscribe(channel).get(connection.getTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.removeListener(adapter);
            throw new LockBackendException("interrupted while subscribing to " + channel);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            c.removeListener(adapter);
            throw new LockBackendException("cannot subscribe to " + channel + " (" + description + "): " + e, e);
        }
        return new Subscription() {
            private volatile boolean done;

            @Override
            public void close() {
                if (done) {
                    return;
                }
                done = true;
                c.removeListener(adapter);
                if (c.isOpen()) {
                    c.async().unsubscribe(channel);
                }
            }
        };
    }

    private StatefulRedisPubSubConnection<String, String> pubSubConnection() {
        pubSubLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("connector is closed");
            }
            if (pubSub == null) {
                try {
                    pubSub = pubSubFactory.get();
                } catch (RuntimeException e) {
                    throw new LockBackendException("cannot open a pub/sub connection (" + description + "): " + e, e);
                }
            }
            return pubSub;
        } finally {
            pubSubLock.unlock();
        }
    }

    @Override
    public boolean clustered() {
        return clustered;
    }

    /**
     * Closes this connector's connections and waits until they are, for at most
     * {@link #CLOSE_WAIT_NANOS} or a shorter command timeout: a client shut down right after
     * would otherwise close them a second time (and Lettuce logs a warning for each).
     */
    @Override
    public void close() {
        CompletableFuture<Void> pubSubClosed = CompletableFuture.completedFuture(null);
        pubSubLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (pubSub != null) {
                pubSubClosed = pubSub.closeAsync();
            }
        } finally {
            pubSubLock.unlock();
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(pubSubClosed, connection.closeAsync());
        long timeout = connection.getTimeout().toNanos(); // 0: no command timeout
        try {
            all.get(timeout > 0 ? Math.min(CLOSE_WAIT_NANOS, timeout) : CLOSE_WAIT_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Closing goes on in the background; nothing here is left to the caller.
        }
    }

    @Override
    public String toString() {
        return "LettuceConnector[" + description + "]";
    }

    /** NOSCRIPT seen: run the script by EVAL instead. */
    private static final class NoScript extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoScript() {
            super(null, null, false, false);
        }
    }
}
