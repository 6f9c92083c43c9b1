package dev.latchkey.benchmarks.redis;

import dev.latchkey.benchmarks.WakeRounds;
import dev.latchkey.lock.redis.RedisLockProvider;
import dev.latchkey.testkit.redis.PrivateRedis;
import io.lettuce.core.RedisClient;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

import java.time.Duration;
import java.util.Locale;

/**
 * Two providers (two clients, as two processes would have) and one waiter, on a private
 * {@code redis-server}: how long from a release to the waiter holding the lock, when the releaser
 * does not want it again. With the default {@code handOffAfter} the waiter is younger than the
 * delay, so the release leaves the lock free and the releasing provider hands it on 1 ms later;
 * with {@code handOffAfter(Duration.ZERO)} the release hands it on at once. Each round takes a new
 * name, holds it for 5 ms (less than the default delay) while the waiter queues, then releases.
 * Prints figures; asserts nothing.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/bench-cp.txt) dev.latchkey.benchmarks.redis.RedisWakeLatency
 * </pre>
 */
public final class RedisWakeLatency {

    private static final int ROUNDS = 30;

    private RedisWakeLatency() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("RedisWakeLatency: release -> waiter holds the lock, " + ROUNDS + " rounds each, 2 providers");
        try (PrivateRedis redis = PrivateRedis.start()) {
            for (String client : new String[] {"jedis", "lettuce"}) {
                for (Duration handOffAfter : new Duration[] {RedisLockProvider.DEFAULT_HAND_OFF_AFTER, Duration.ZERO}) {
                    long[] micros = rounds(redis, client, handOffAfter);
                    System.out.printf(Locale.ROOT, "  %-7s handOffAfter %-6s %s%n",
                            client, handOffAfter.toMillis() + " ms", WakeRounds.summary(micros));
                }
            }
        }
    }

    /** One provider holds and releases, the other waits; the release-to-hold time of each round, in us. */
    private static long[] rounds(PrivateRedis redis, String client, Duration handOffAfter) throws Exception {
        Opened holderSide = open(redis, client, handOffAfter);
        Opened waiterSide = open(redis, client, handOffAfter);
        try {
            return WakeRounds.measure(holderSide.provider, waiterSide.provider, ROUNDS, 5);
        } finally {
            holderSide.close();
            waiterSide.close();
        }
    }

    private record Opened(RedisLockProvider provider, Runnable shutdown) {
        void close() {
            provider.close();
            shutdown.run();
        }
    }

    private static Opened open(PrivateRedis redis, String client, Duration handOffAfter) {
        if (client.equals("jedis")) {
            JedisPooled jedis = new JedisPooled(new HostAndPort(redis.host(), redis.port()));
            return new Opened(RedisLockProvider.builder(jedis).handOffAfter(handOffAfter).build(), jedis::close);
        }
        RedisClient lettuce = Contenders.lettuceClient(redis.host(), redis.port());
        return new Opened(RedisLockProvider.builder(lettuce).handOffAfter(handOffAfter).build(),
                () -> Contenders.shutdown(lettuce));
    }
}
