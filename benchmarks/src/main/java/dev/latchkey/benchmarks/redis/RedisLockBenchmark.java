package dev.latchkey.benchmarks.redis;

import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.redis.RedisLockProvider;
import dev.latchkey.lock.redis.internal.RedisLockBackend;
import dev.latchkey.lock.redis.spi.RedisConnector;
import dev.latchkey.lock.redis.spi.RedisScript;
import dev.latchkey.testkit.redis.PrivateRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Load figures for the Redis lock, printed (a bounded {@code main}, not a timed test), against a
 * private {@code redis-server} of its own so nothing else runs on it:
 * <ol>
 * <li>uncontended acquire + release per second on one provider, next to the floor: the same two
 *     scripts sent raw by {@code EVALSHA} on a connection of the same client;</li>
 * <li>8 contenders, each with its own client (like 8 processes), one thread each, on one lock:
 *     Latchkey on Lettuce and on Jedis (with its default hand-off delay, and with
 *     {@code handOffAfter(Duration.ZERO)}: first come, first served), Redisson's {@code RLock}, Spring Integration's
 *     {@code RedisLockRegistry} (pub/sub mode), and {@code SET NX PX} polled every millisecond on
 *     Lettuce and on Jedis. Each prints hand-offs per second, p50/p99/max wait,
 *     acquisitions per contender (min and max: fairness), mutual-exclusion violations (must be 0)
 *     and client commands per acquisition.</li>
 * </ol>
 * Commands are counted in a second, shorter run of each contended case whose clients connect
 * through a {@link ClientCommands} proxy: what clients send, by name, never the commands a script
 * runs inside. The timed run connects directly, so the proxy's extra hop does not slow it.
 *
 * <p>Every case shares the JVM, and several share client code (Lettuce and Netty, Jedis): the case
 * that runs first would pay for compiling that code (the JIT keeps a core of a 2-vCPU machine busy
 * for about ten seconds) while later cases ran on the compiled code. So before anything is measured,
 * every selected case runs contended for a warm-up of its own, in the same order, unmeasured.
 *
 * <p>Run: see the command in the README's lock-redis section; optional arguments: seconds per
 * contended run (default 5), uncontended iterations (default 20000), a comma-separated list of
 * the cases to run, in that order (default all, in this order: {@code latchkey-lettuce,latchkey-jedis,latchkey-lettuce-fifo,latchkey-jedis-fifo,redisson,spring-integration,polling-lettuce,polling-jedis}),
 * and the seconds of each case's warm-up round (default 4; 0 skips it).
 * {@code -Dlatchkey.bench.handOffAfterMillis} sets the hand-off delay of the default Latchkey cases,
 * {@code -Dlatchkey.bench.contenders} the number of contenders (default 8).
 */
public final class RedisLockBenchmark {

    /** Contenders per run: {@code -Dlatchkey.bench.contenders}, default 8. */
    private static final int CONTENDERS = Integer.getInteger("latchkey.bench.contenders", 8);

    private RedisLockBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        Map<String, Contender.Factory> cases = new LinkedHashMap<>();
        cases.put("latchkey-lettuce", Contenders::latchkeyLettuce);
        cases.put("latchkey-jedis", Contenders::latchkeyJedis);
        cases.put("latchkey-lettuce-fifo", Contenders::latchkeyLettuceFifo);
        cases.put("latchkey-jedis-fifo", Contenders::latchkeyJedisFifo);
        cases.put("redisson", Contenders::redisson);
        cases.put("spring-integration", Contenders::springIntegration);
        cases.put("polling-lettuce", Contenders::pollingLettuce);
        cases.put("polling-jedis", Contenders::pollingJedis);
        if (args.length > 2) {
            // The cases given, in the order given: the order moves the figures (see the README).
            Map<String, Contender.Factory> given = new LinkedHashMap<>();
            for (String name : args[2].split(",")) {
                if (cases.containsKey(name)) {
                    given.put(name, cases.get(name));
                }
            }
            cases = given;
        }
        int warmUpSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        System.out.printf("Redis lock benchmark: JDK %s, %d CPUs, redis-server private, loopback%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        try (PrivateRedis redis = PrivateRedis.start()) {
            if (iterations > 0) {
                uncontendedLettuce(redis, iterations);
                uncontendedJedis(redis, iterations);
            }
            if (warmUpSeconds > 0) {
                for (Map.Entry<String, Contender.Factory> c : cases.entrySet()) {
                    ContendedRun.run(c.getKey(), c.getValue(), redis.host(), redis.port(), "warm-up-" + c.getKey(),
                            CONTENDERS, 0, warmUpSeconds * 1_000L, null);
                }
                System.out.printf("warm-up: every case ran %d s contended before the measured runs%n", warmUpSeconds);
            }
            List<ContendedRun.Result> results = new ArrayList<>();
            for (Map.Entry<String, Contender.Factory> c : cases.entrySet()) {
                String lockName = "contended-" + c.getKey();
                ContendedRun.Result timed = ContendedRun.run(c.getKey(), c.getValue(), redis.host(), redis.port(),
                        lockName, CONTENDERS, 1_000, seconds * 1_000L, null);
                ContendedRun.Result counted;
                try (ClientCommands counter = new ClientCommands(redis.host(), redis.port())) {
                    counted = ContendedRun.run(c.getKey(), c.getValue(), counter.host(), counter.port(),
                            lockName, CONTENDERS, 500, 2_000, counter);
                }
                print(timed, counted);
                results.add(timed);
                results.add(counted);
            }
            table(results);
        }
    }

    private static void print(ContendedRun.Result timed, ContendedRun.Result counted) {
        System.out.printf("[%s] %d contenders on one lock, %.1f s: %,.0f hand-offs/s; wait p50 %.2f ms, p99 %.2f ms, "
                        + "max %.2f ms; per contender %s; violations %d%n",
                timed.label(), timed.contenders(), timed.seconds(), timed.handoffsPerSecond(), timed.waitMillis(0.50),
                timed.waitMillis(0.99), timed.maxWaitMillis(), Arrays.toString(timed.perContender()),
                timed.violations());
        System.out.printf("[%s] through the counting proxy, %.1f s: %,.0f hand-offs/s, %d acquisitions, "
                        + "client commands %s = %.2f per acquisition; violations %d%n",
                counted.label(), counted.seconds(), counted.handoffsPerSecond(), counted.acquisitions(),
                counted.commands(), counted.commandsPerAcquisition(), counted.violations());
    }

    private static void table(List<ContendedRun.Result> results) {
        System.out.println();
        System.out.println("| case | hand-offs/s | wait p50 ms | p99 ms | max ms | acquisitions per contender (min-max) "
                + "| client commands per acquisition |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int i = 0; i + 1 < results.size(); i += 2) {
            ContendedRun.Result t = results.get(i);
            ContendedRun.Result c = results.get(i + 1);
            System.out.printf("| %s | %,.0f | %.2f | %.2f | %.1f | %,d-%,d | %.2f |%n", t.label(), t.handoffsPerSecond(),
                    t.waitMillis(0.50), t.waitMillis(0.99), t.maxWaitMillis(), t.minPerContender(),
                    t.maxPerContender(), c.commandsPerAcquisition());
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
        List<String> releaseKeys = acquireKeys;
        byte[] owner = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        List<byte[]> acquireArgs = List.of(owner, b("30000"), b("86400000"), b("0"), b("1600"), b("1000"), b("ch"));
        List<byte[]> releaseArgs = List.of(owner, b("0"), b("86400000"), b("20000"));
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

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
