package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockLease;

import java.time.Duration;

/**
 * Builds a provider with only one client library on the class path, takes and frees a lock, and
 * prints {@code OK <fencing token>}. Arguments: "lettuce" or "jedis", the Redis URI, a key prefix.
 * Each client's code sits in its own nested class, so the other library's absence is what is tested.
 */
public final class OneClientMain {

    private OneClientMain() {
    }

    public static void main(String[] args) throws Exception {
        RedisLockProvider provider = args[0].equals("lettuce")
                ? LettuceSide.provider(args[1], args[2]) : JedisSide.provider(args[1], args[2]);
        try (LockLease lease = provider.lock("one-client").acquire(Duration.ofSeconds(5))) {
            System.out.println("OK " + lease.fencingToken());
        }
        provider.close();
        System.exit(0);
    }

    /** Only loaded when Lettuce is used (the JVM verifies a class's code when it loads it). */
    private static final class LettuceSide {
        static RedisLockProvider provider(String uri, String prefix) {
            return RedisLockProvider.builder(io.lettuce.core.RedisClient.create(uri)).keyPrefix(prefix).build();
        }
    }

    /** Only loaded when Jedis is used. */
    private static final class JedisSide {
        static RedisLockProvider provider(String uri, String prefix) {
            java.net.URI u = java.net.URI.create(uri);
            return RedisLockProvider.builder(new redis.clients.jedis.JedisPooled(u.getHost(), u.getPort()))
                    .keyPrefix(prefix).build();
        }
    }
}
