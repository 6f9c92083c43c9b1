package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.testkit.redis.RedisClients;
import io.lettuce.core.RedisClient;

import java.time.Duration;

/**
 * A lock holder in its own JVM, for the crash test: acquires {@code name} on {@code uri} with a
 * {@code leaseMillis} lease, prints {@code HELD <fencing token>} and sleeps until killed.
 * Arguments: uri, key prefix, name, leaseMillis.
 */
public final class HolderMain {

    private HolderMain() {
    }

    public static void main(String[] args) throws Exception {
        RedisClient client = RedisClients.lettuce(args[0], Duration.ofSeconds(5));
        RedisLockProvider provider = RedisLockProvider.builder(client).keyPrefix(args[1]).build();
        LockOptions options = LockOptions.builder().leaseTime(Duration.ofMillis(Long.parseLong(args[3]))).build();
        LockLease lease = provider.lock(args[2], options).acquire(Duration.ofSeconds(10));
        System.out.println("HELD " + lease.fencingToken());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
