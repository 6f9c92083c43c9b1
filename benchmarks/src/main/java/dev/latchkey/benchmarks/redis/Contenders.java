package dev.latchkey.benchmarks.redis;

import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.lock.redis.RedisLockProvider;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * The locks compared, each as a {@link Contender.Factory}: Latchkey on Lettuce and on Jedis (with
 * the default hand-off delay, and first come first served),
 * Redisson's {@code RLock}, Spring Integration's {@code RedisLockRegistry}, and the plain pattern of the seeds ({@code SET NX PX} polled every
 * millisecond, released by a Lua compare-and-delete) on Lettuce and on Jedis. Every lease is 10 s.
 */
final class Contenders {

    static final long LEASE_MILLIS = 10_000;
    static final long POLL_MILLIS = 1;

    /** The seeds' release: delete only with the right token. */
    private static final String COMPARE_AND_DELETE =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

    private Contenders() {
    }

    static RedisClient lettuceClient(String host, int port) {
        RedisURI u = RedisURI.create(host, port);
        u.setTimeout(Duration.ofSeconds(5));
        return RedisClient.create(u);
    }

    static void shutdown(RedisClient client) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /**
     * The hand-off delay of the default Latchkey cases: {@code -Dlatchkey.bench.handOffAfterMillis},
     * else the provider's default.
     */
    private static Duration handOffAfter() {
        String millis = System.getProperty("latchkey.bench.handOffAfterMillis");
        return millis == null ? RedisLockProvider.DEFAULT_HAND_OFF_AFTER : Duration.ofMillis(Long.parseLong(millis));
    }

    /** Latchkey's {@code RedisLockProvider} on a Lettuce {@code RedisClient} of its own. */
    static Contender latchkeyLettuce(String host, int port, String lockName) {
        return latchkeyLettuce(host, port, lockName, handOffAfter());
    }

    /** Latchkey's {@code RedisLockProvider} on a {@code JedisPooled} of its own. */
    static Contender latchkeyJedis(String host, int port, String lockName) {
        return latchkeyJedis(host, port, lockName, handOffAfter());
    }

    /** As {@link #latchkeyLettuce}, every release handed to the oldest waiter at once (first come, first served). */
    static Contender latchkeyLettuceFifo(String host, int port, String lockName) {
        return latchkeyLettuce(host, port, lockName, Duration.ZERO);
    }

    /** As {@link #latchkeyJedis}, every release handed to the oldest waiter at once (first come, first served). */
    static Contender latchkeyJedisFifo(String host, int port, String lockName) {
        return latchkeyJedis(host, port, lockName, Duration.ZERO);
    }

    private static Contender latchkeyLettuce(String host, int port, String lockName, Duration handOffAfter) {
        RedisClient client = lettuceClient(host, port);
        return new Latchkey(RedisLockProvider.builder(client).handOffAfter(handOffAfter).build(), lockName,
                () -> shutdown(client));
    }

    private static Contender latchkeyJedis(String host, int port, String lockName, Duration handOffAfter) {
        JedisPooled jedis = new JedisPooled(new HostAndPort(host, port));
        return new Latchkey(RedisLockProvider.builder(jedis).handOffAfter(handOffAfter).build(), lockName, jedis::close);
    }

    /** Redisson's {@code RLock} ({@code lock(leaseTime)}: waits on its pub/sub channel), a client of its own. */
    static Contender redisson(String host, int port, String lockName) {
        Config config = new Config();
        config.useSingleServer()
                .setAddress("redis://" + host + ":" + port)
                .setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(4)
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionPoolSize(2);
        RedissonClient client = Redisson.create(config);
        RLock lock = client.getLock("redisson:" + lockName);
        return new Contender() {
            @Override
            public void acquire() {
                lock.lock(LEASE_MILLIS, TimeUnit.MILLISECONDS);
            }

            @Override
            public void release() {
                lock.unlock();
            }

            @Override
            public void close() {
                client.shutdown(0, 2, TimeUnit.SECONDS);
            }
        };
    }

    /**
     * Spring Integration's {@code RedisLockRegistry} in its pub/sub mode, on a Jedis connection
     * factory of its own (the lock's expiry is the lease). Jedis, because Spring Data Redis 4.1
     * needs a newer Lettuce than the one pinned here.
     */
    static Contender springIntegration(String host, int port, String lockName) {
        JedisConnectionFactory factory = new JedisConnectionFactory(new RedisStandaloneConfiguration(host, port));
        factory.afterPropertiesSet();
        factory.start();
        RedisLockRegistry registry = new RedisLockRegistry(factory, "spring-integration", LEASE_MILLIS);
        registry.setRedisLockType(RedisLockRegistry.RedisLockType.PUB_SUB_LOCK);
        Lock lock = registry.obtain(lockName);
        return new Contender() {
            @Override
            public void acquire() {
                lock.lock();
            }

            @Override
            public void release() {
                lock.unlock();
            }

            @Override
            public void close() {
                registry.destroy();
                factory.destroy();
            }
        };
    }

    /** {@code SET key token NX PX} every millisecond until it succeeds, on Lettuce. */
    static Contender pollingLettuce(String host, int port, String lockName) {
        RedisClient client = lettuceClient(host, port);
        StatefulRedisConnection<String, String> connection = client.connect();
        RedisCommands<String, String> redis = connection.sync();
        String sha = redis.scriptLoad(COMPARE_AND_DELETE);
        String key = "polling:" + lockName;
        String[] keys = {key};
        SetArgs nxPx = SetArgs.Builder.nx().px(LEASE_MILLIS);
        return new Polling() {
            @Override
            boolean trySet(String token) {
                return "OK".equals(redis.set(key, token, nxPx));
            }

            @Override
            void delete(String token) {
                redis.evalsha(sha, ScriptOutputType.INTEGER, keys, token);
            }

            @Override
            public void close() {
                connection.close();
                shutdown(client);
            }
        };
    }

    /** {@code SET key token NX PX} every millisecond until it succeeds, on Jedis. */
    static Contender pollingJedis(String host, int port, String lockName) {
        JedisPooled jedis = new JedisPooled(new HostAndPort(host, port));
        String sha = jedis.scriptLoad(COMPARE_AND_DELETE);
        String key = "polling:" + lockName;
        List<String> keys = List.of(key);
        SetParams nxPx = SetParams.setParams().nx().px(LEASE_MILLIS);
        return new Polling() {
            @Override
            boolean trySet(String token) {
                return "OK".equals(jedis.set(key, token, nxPx));
            }

            @Override
            void delete(String token) {
                jedis.evalsha(sha, keys, List.of(token));
            }

            @Override
            public void close() {
                jedis.close();
            }
        };
    }

    private static final class Latchkey implements Contender {
        private final RedisLockProvider provider;
        private final DistributedLock lock;
        private final Runnable shutdown;
        private LockLease lease;

        Latchkey(RedisLockProvider provider, String lockName, Runnable shutdown) {
            this.provider = provider;
            this.lock = provider.lock(lockName, LockOptions.builder().leaseTime(Duration.ofMillis(LEASE_MILLIS)).build());
            this.shutdown = shutdown;
        }

        @Override
        public void acquire() throws InterruptedException {
            lease = lock.acquire(Duration.ofSeconds(30));
        }

        @Override
        public void release() {
            lease.release();
        }

        @Override
        public void close() {
            provider.close();
            shutdown.run();
        }
    }

    /** The seeds' pattern: a fresh token per acquisition, a fixed poll interval, no queue. */
    private abstract static class Polling implements Contender {
        private String token;

        abstract boolean trySet(String token);

        abstract void delete(String token);

        @Override
        public void acquire() throws InterruptedException {
            String t = UUID.randomUUID().toString();
            while (!trySet(t)) {
                Thread.sleep(POLL_MILLIS);
            }
            token = t;
        }

        @Override
        public void release() {
            delete(token);
        }
    }
}
