package dev.latchkey.benchmarks.redis;

import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.lock.redis.RedisLockProvider;
import dev.latchkey.lock.redis.internal.RedisLockBackend;
import dev.latchkey.lock.redis.spi.RedisConnector;
import dev.latchkey.lock.redis.spi.RedisScript;
import dev.latchkey.testkit.redis.PrivateRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Load figures for the Redis lock, printed (a bounded {@code main}, not a timed test), against a
 * private {@code redis-server} of its own so nothing else runs on it:
 * <ol>
 * <li>uncontended acquire + release per second on one provider, next to the floor: the same two
 *     scripts sent raw by {@code EVALSHA} on a connection of the same client;</li>
 * <li>8 providers, each with its own client (like 8 processes), one thread each, contending for one
 *     lock: hand-offs per second, p50/p99/max wait, acquisitions per provider, and client commands
 *     per acquisition.</li>
 * </ol>
 * Client commands are counted from {@code INFO commandstats} rows of commands only clients send
 * ({@code evalsha}, {@code eval}, {@code subscribe}): the commands a script runs inside are counted
 * under their own names, so these rows are exact.
 *
 * <p>Run: see the command in {@code lock-redis/README-section.md}; optional arguments: seconds per
 * contended run (default 5), uncontended iterations (default 20000).
 */
public final class RedisLockBenchmark {

    private RedisLockBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        System.out.printf("Redis lock benchmark: JDK %s, %d CPUs, redis-server private, loopback%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        try (PrivateRedis redis = PrivateRedis.start()) {
            RedisClient admin = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> adminConn = admin.connect()) {
                Stats stats = new Stats(adminConn);
                uncontendedLettuce(redis, iterations);
                uncontendedJedis(redis, iterations);
                contended("lettuce", 8, seconds, stats, () -> {
                    RedisClient c = lettuce(redis.uri());
                    return new Client(RedisLockProvider.builder(c).build(), () -> c.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
                });
                contended("jedis", 8, seconds, stats, () -> {
                    JedisPooled j = new JedisPooled(new HostAndPort(redis.host(), redis.port()));
                    return new Client(RedisLockProvider.builder(j).build(), j::close);
                });
            } finally {
                admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    private static RedisClient lettuce(String uri) {
        RedisURI u = RedisURI.create(uri);
        u.setTimeout(Duration.ofSeconds(5));
        return RedisClient.create(u);
    }

    private static void uncontendedLettuce(PrivateRedis redis, int iterations) {
        RedisClient client = lettuce(redis.uri());
        try (RedisLockProvider locks = RedisLockProvider.builder(client).build();
             RedisConnector raw = RedisConnector.lettuce(client)) {
            uncontended("lettuce", locks, raw, iterations);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static void uncontendedJedis(PrivateRedis redis, int iterations) {
        try (JedisPooled jedis = new JedisPooled(new HostAndPort(redis.host(), redis.port()));
             RedisLockProvider locks = RedisLockProvider.builder(jedis).build();
             RedisConnector raw = RedisConnector.jedis(jedis)) {
            uncontended("jedis", locks, raw, iterations);
        }
    }

    private static void uncontended(String label, RedisLockProvider locks, RedisConnector raw, int iterations) {
        RedisScript acquire = RedisScript.fromResource(RedisLockBackend.class, "acquire.lua");
        RedisScript release = RedisScript.fromResource(RedisLockBackend.class, "release.lua");
        String base = "latchkey:{floor}";
        List<String> acquireKeys = List.of(base, base + ":fence", base + ":queue", base + ":waiters");
        List<String> releaseKeys = List.of(base, base + ":queue", base + ":waiters");
        byte[] owner = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        List<byte[]> acquireArgs = List.of(owner, b("30000"), b("86400000"), b("0"), b("1600"), b("1000"), b("ch"));
        List<byte[]> releaseArgs = List.of(owner, b("0"));
        DistributedLock lock = locks.lock("uncontended");
        // Interleaved one by one, so the noise of a shared machine hits both sides alike.
        for (int i = 0; i < iterations / 4; i++) { // warm-up
            lock.tryAcquire().orElseThrow().release();
            raw.eval(acquire, acquireKeys, acquireArgs);
            raw.eval(release, releaseKeys, releaseArgs);
        }
        long lockNanos = 0;
        long floorNanos = 0;
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            lock.tryAcquire().orElseThrow().release();
            long t1 = System.nanoTime();
            raw.eval(acquire, acquireKeys, acquireArgs);
            raw.eval(release, releaseKeys, releaseArgs);
            long t2 = System.nanoTime();
            lockNanos += t1 - t0;
            floorNanos += t2 - t1;
        }
        double lockRate = iterations / (lockNanos / 1e9);
        double floorRate = iterations / (floorNanos / 1e9);
        System.out.printf("[%s] uncontended acquire+release: %,.0f/s (%,d interleaved); floor, the same 2 EVALSHA raw: %,.0f/s; ratio %.2f%n",
                label, lockRate, iterations, floorRate, lockRate / floorRate);
    }

    private static void contended(String label, int providers, int seconds, Stats stats, Supplier<Client> factory)
            throws Exception {
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < providers; i++) {
            clients.add(factory.get());
        }
        String name = "contended-" + label;
        LockOptions options = LockOptions.builder().leaseTime(Duration.ofSeconds(10)).build();
        long[] counts = new long[providers];
        long[][] waits = new long[providers][];
        int[] sizes = new int[providers];
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(providers);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < providers; p++) {
            final int id = p;
            waits[id] = new long[1 << 16];
            DistributedLock lock = clients.get(p).provider.lock(name, options);
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        LockLease lease = lock.acquire(Duration.ofSeconds(30));
                        long waited = System.nanoTime() - start;
                        lease.release();
                        if (measuring.get()) {
                            counts[id]++;
                            if (sizes[id] == waits[id].length) {
                                waits[id] = Arrays.copyOf(waits[id], sizes[id] * 2);
                            }
                            waits[id][sizes[id]++] = waited;
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    done.countDown();
                }
            }, "contender-" + p);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        Thread.sleep(1_000); // warm-up
        stats.reset();
        long t0 = System.nanoTime();
        measuring.set(true);
        Thread.sleep(seconds * 1_000L);
        measuring.set(false);
        long elapsed = System.nanoTime() - t0;
        long commands = stats.clientCommands();
        stop.set(true);
        done.await();
        for (Client c : clients) {
            c.close();
        }
        long total = Arrays.stream(counts).sum();
        long[] all = new long[(int) Arrays.stream(sizes).asLongStream().sum()];
        int k = 0;
        for (int p = 0; p < providers; p++) {
            System.arraycopy(waits[p], 0, all, k, sizes[p]);
            k += sizes[p];
        }
        Arrays.sort(all);
        System.out.printf("[%s] %d providers on one lock, %d s: %,.0f hand-offs/s; wait p50 %.2f ms, p99 %.2f ms, max %.2f ms; "
                        + "client commands per acquisition %.2f%n",
                label, providers, seconds, total / (elapsed / 1e9), ms(pct(all, 0.50)), ms(pct(all, 0.99)),
                ms(all.length == 0 ? 0 : all[all.length - 1]), (double) commands / Math.max(1, total));
        System.out.printf("[%s] acquisitions per provider: %s%n", label, Arrays.toString(counts));
    }

    private static long pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private record Client(RedisLockProvider provider, Runnable shutdown) {
        void close() {
            provider.close();
            shutdown.run();
        }
    }

    /** Client commands from INFO commandstats: only rows of commands that scripts do not run. */
    private static final class Stats {
        private final StatefulRedisConnection<String, String> admin;

        Stats(StatefulRedisConnection<String, String> admin) {
            this.admin = admin;
        }

        void reset() {
            admin.sync().configResetstat();
        }

        long clientCommands() {
            long n = 0;
            for (String line : admin.sync().info("commandstats").split("\r?\n")) {
                for (String cmd : List.of("cmdstat_evalsha:", "cmdstat_eval:", "cmdstat_subscribe:", "cmdstat_unsubscribe:")) {
                    if (line.startsWith(cmd)) {
                        String calls = line.substring(line.indexOf("calls=") + 6);
                        n += Long.parseLong(calls.substring(0, calls.indexOf(',')));
                    }
                }
            }
            return n;
        }
    }
}
