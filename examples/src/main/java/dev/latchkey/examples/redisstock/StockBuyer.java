package dev.latchkey.examples.redisstock;

import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockProvider;
import dev.latchkey.lock.redis.RedisLockProvider;
import redis.clients.jedis.JedisPooled;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * One buyer process of seed 000 (a separate JVM, like a forked PHP worker): it connects, waits at a
 * Redis barrier until every buyer is ready, then buys one unit of stock and prints one line:
 * {@code SOLD} or {@code REJECTED}, with the fencing token when it bought under the lock.
 *
 * <p>Arguments: {@code redisUri stockKey barrierKey mode delayMillis lockName}, where mode is
 * {@code get-set} (the race) or {@code token-lock} (the fix).
 */
public final class StockBuyer {

    private StockBuyer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: StockBuyer redisUri stockKey barrierKey get-set|token-lock delayMillis lockName");
            System.exit(2);
        }
        String stockKey = args[1];
        String barrierKey = args[2];
        String mode = args[3];
        long delayMillis = Long.parseLong(args[4]);
        String lockName = args[5];
        try (JedisPooled jedis = new JedisPooled(URI.create(args[0]))) {
            jedis.rpush(barrierKey + ":ready", Long.toString(ProcessHandle.current().pid()));
            List<String> go = jedis.blpop(60, barrierKey + ":go");
            if (go == null) {
                System.out.println("TIMEOUT waiting at the barrier");
                System.exit(3);
            }
            switch (mode) {
                case "get-set" -> System.out.println(buyWithGetSet(jedis, stockKey, delayMillis));
                case "token-lock" -> {
                    try (LockProvider locks = RedisLockProvider.builder(jedis).build()) {
                        System.out.println(buyUnderLock(jedis, locks, lockName, stockKey, delayMillis));
                    }
                }
                default -> {
                    System.err.println("unknown mode: " + mode);
                    System.exit(2);
                }
            }
        }
    }

    /** The seed's race: GET, check, pause, SET. Two buyers that both read 1 both write 0. */
    static String buyWithGetSet(JedisPooled jedis, String stockKey, long delayMillis) throws InterruptedException {
        long stock = Long.parseLong(jedis.get(stockKey));
        if (stock <= 0) {
            return "REJECTED";
        }
        Thread.sleep(delayMillis);
        jedis.set(stockKey, Long.toString(stock - 1));
        return "SOLD";
    }

    /** The fix: the same check and act, inside the Redis token lock. */
    static String buyUnderLock(JedisPooled jedis, LockProvider locks, String lockName, String stockKey,
                               long delayMillis) throws InterruptedException {
        try (LockLease lease = locks.lock(lockName).acquire(Duration.ofSeconds(60))) {
            long stock = Long.parseLong(jedis.get(stockKey));
            if (stock <= 0) {
                return "REJECTED fencing=" + lease.fencingToken();
            }
            Thread.sleep(delayMillis);
            jedis.decrBy(stockKey, 1);
            return "SOLD fencing=" + lease.fencingToken();
        }
    }
}
