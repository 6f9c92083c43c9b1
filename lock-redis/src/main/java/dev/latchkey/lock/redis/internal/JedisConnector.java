package dev.latchkey.lock.redis.internal;

import dev.latchkey.lock.LockBackendException;
import dev.latchkey.lock.redis.spi.RedisConnector;
import dev.latchkey.lock.redis.spi.RedisScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@link RedisConnector} on Jedis's {@link UnifiedJedis} ({@code JedisPooled},
 * {@code RedisSentinelClient}, {@code JedisCluster}). Only loaded through
 * {@link RedisConnector#jedis}, so Lettuce-only class paths never touch it.
 *
 * <p>Jedis subscriptions block their thread, so each subscription runs on its own daemon thread
 * holding one pooled connection; when the connection breaks the thread subscribes again (messages
 * published meanwhile are lost: callers must have a fallback, as the lock's capped poll is).
 */
public final class JedisConnector implements RedisConnector {

    private static final Logger log = LoggerFactory.getLogger(JedisConnector.class);

    /** How long a subscription waits for Redis's confirmation. */
    private static final long SUBSCRIBE_TIMEOUT_MILLIS = 5_000;

    private final UnifiedJedis jedis;
    private final boolean clustered;
    private final List<JedisSubscription> subscriptions = new java.util.concurrent.CopyOnWriteArrayList<>();

    private JedisConnector(UnifiedJedis jedis) {
        this.jedis = jedis;
        this.clustered = jedis instanceof JedisCluster;
    }

    /** A connector on {@code jedis}, which stays the caller's to close. */
    public static RedisConnector create(UnifiedJedis jedis) {
        return new JedisConnector(Objects.requireNonNull(jedis, "jedis"));
    }

    @Override
    public Object eval(RedisScript script, List<String> keys, List<byte[]> args) {
        Objects.requireNonNull(script, "script");
        List<byte[]> k = new ArrayList<>(keys.size());
        for (String key : keys) {
            k.add(key.getBytes(StandardCharsets.UTF_8));
        }
        try {
            try {
                return convert(jedis.evalsha(script.sha1().getBytes(StandardCharsets.US_ASCII), k, args));
            } catch (JedisNoScriptException e) {
                // Restarted or flushed: EVAL runs it and caches it again for the next EVALSHA.
                return convert(jedis.eval(script.source(), k, args));
            }
        } catch (RuntimeException e) {
            throw new LockBackendException("Redis failed running " + script.name() + " (jedis): " + e, e);
        }
    }

    private static Object convert(Object reply) {
        if (reply instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(convert(o));
            }
            return out;
        }
        return reply;
    }

    @Override
    public Subscription subscribe(String channel, Consumer<String> listener) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(listener, "listener");
        JedisSubscription s = new JedisSubscription(channel, listener);
        s.start();
        subscriptions.add(s);
        return s;
    }

    @Override
    public boolean clustered() {
        return clustered;
    }

    @Override
    public void close() {
        for (JedisSubscription s : subscriptions) {
            s.close();
        }
        subscriptions.clear();
    }

    @Override
    public String toString() {
        return "JedisConnector[" + (clustered ? "cluster" : "standalone") + "]";
    }

    /**
     * One channel on a pooled connection, held by a thread of its own. It never interrupts that
     * thread: Jedis leaves its read loop on an interrupt while still subscribed and hands the
     * connection back to the pool with the UNSUBSCRIBE reply unread, and the next command borrowing
     * it would read that reply as its own. Closing sends UNSUBSCRIBE (once) instead, and the loop
     * ends when Redis confirms it, leaving the connection clean.
     */
    private final class JedisSubscription implements Subscription {
        private final String channel;
        private final Consumer<String> listener;
        private final CountDownLatch confirmed = new CountDownLatch(1);
        private final CountDownLatch closing = new CountDownLatch(1);
        private volatile boolean closed;
        private volatile Listener current;
        private final Thread thread;

        JedisSubscription(String channel, Consumer<String> listener) {
            this.channel = channel;
            this.listener = listener;
            this.thread = new Thread(this::run, "latchkey-redis-subscriber-" + channel);
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
            boolean ok;
            try {
                ok = confirmed.await(SUBSCRIBE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new LockBackendException("interrupted while subscribing to " + channel);
            }
            if (!ok) {
                close();
                throw new LockBackendException("Redis did not confirm the subscription to " + channel + " within "
                        + SUBSCRIBE_TIMEOUT_MILLIS + " ms (jedis)");
            }
        }

        private void run() {
            long backoff = 50;
            while (!closed) {
                Listener pubSub = new Listener();
                current = pubSub;
                try {
                    if (closed) {
                        return;
                    }
                    jedis.subscribe(pubSub, channel);
                    backoff = 50;
                } catch (RuntimeException e) {
                    if (closed) {
                        return;
                    }
                    log.debug("subscription to {} broke; subscribing again in {} ms", channel, backoff, e);
                    try {
                        if (closing.await(backoff, TimeUnit.MILLISECONDS)) {
                            return;
                        }
                    } catch (InterruptedException ie) {
                        return;
                    }
                    backoff = Math.min(backoff * 2, 1_000);
                }
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            closing.countDown();
            Listener pubSub = current;
            if (pubSub != null && pubSub.isSubscribed()) {
                pubSub.leave();
            }
            // Not subscribed yet: onSubscribe sees `closed` and leaves at once.
        }

        private final class Listener extends JedisPubSub {
            private final AtomicBoolean leaving = new AtomicBoolean();

            @Override
            public void onSubscribe(String ch, int count) {
                confirmed.countDown();
                if (closed) {
                    leave();
                }
            }

            @Override
            public void onMessage(String ch, String message) {
                try {
                    listener.accept(message);
                } catch (RuntimeException e) {
                    // Leaving the read loop here would return a subscribed connection to the pool.
                    log.debug("a message on {} failed its listener", channel, e);
                }
            }

            /** Sends UNSUBSCRIBE once, from whichever thread gets here first. */
            void leave() {
                if (leaving.compareAndSet(false, true)) {
                    try {
                        unsubscribe();
                    } catch (RuntimeException e) {
                        log.debug("unsubscribe from {} failed", channel, e);
                    }
                }
            }
        }
    }
}
