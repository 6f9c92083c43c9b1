package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockLease;
import dev.latchkey.testkit.proxy.FaultProxy;
import dev.latchkey.testkit.proxy.RespCommandCounter;
import dev.latchkey.testkit.redis.PrivateRedis;
import dev.latchkey.testkit.redis.RedisClients;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What clients really send, counted by a proxy between client and server (not {@code INFO
 * commandstats}, which also counts the commands inside a script).
 */
class CommandCountTest {

    private PrivateRedis redis;
    private FaultProxy proxy;
    private final RespCommandCounter counter = new RespCommandCounter();

    @BeforeEach
    void start() {
        redis = PrivateRedis.start();
        proxy = FaultProxy.start(redis.host(), redis.port());
        proxy.onClientBytes(counter);
    }

    @AfterEach
    void stop() {
        proxy.close();
        redis.close();
    }

    private String proxyUri() {
        return "redis://" + proxy.host() + ":" + proxy.port();
    }

    @Test
    void uncontendedAcquireAndRelease_costExactlyTwoCommands_onLettuce() {
        RedisClient client = RedisClients.lettuce(proxyUri(), Duration.ofSeconds(2));
        try (RedisLockProvider locks = RedisLockProvider.builder(client).build()) {
            locks.lock("warm-up").tryAcquire().orElseThrow().release(); // scripts cached by the server
            counter.reset();
            locks.lock("count").tryAcquire().orElseThrow().release();
            assertThat(counter.commandNames()).as("commands of one uncontended acquire + release")
                    .containsExactly("EVALSHA", "EVALSHA");
        } finally {
            RedisClients.shutdown(client);
        }
    }

    @Test
    void uncontendedAcquireAndRelease_costExactlyTwoCommands_onJedis() {
        try (JedisPooled jedis = RedisClients.jedis(proxyUri(), Duration.ofSeconds(2));
             RedisLockProvider locks = RedisLockProvider.builder(jedis).build()) {
            locks.lock("warm-up").tryAcquire().orElseThrow().release();
            counter.reset();
            locks.lock("count").tryAcquire().orElseThrow().release();
            assertThat(counter.commandNames()).containsExactly("EVALSHA", "EVALSHA");
        }
    }

    @Test
    void uncontendedWaitingAcquireAndRelease_costExactlyTwoCommands() throws InterruptedException {
        // A waiting acquire subscribes before its first attempt; when that attempt wins, leaving
        // the (local) subscription must send nothing.
        RedisClient client = RedisClients.lettuce(proxyUri(), Duration.ofSeconds(2));
        try (RedisLockProvider locks = RedisLockProvider.builder(client).build()) {
            locks.lock("warm-up").acquire(Duration.ofSeconds(5)).release();
            counter.reset();
            locks.lock("count").acquire(Duration.ofSeconds(5)).release();
            assertThat(counter.commandNames()).as("commands of one uncontended acquire(maxWait) + release")
                    .containsExactly("EVALSHA", "EVALSHA");
        } finally {
            RedisClients.shutdown(client);
        }
    }

    @Test
    void waiterGrantedByRelease_sendsNoCommandFromFallingAsleepToItsRelease() throws Exception {
        RedisClient direct = RedisClients.lettuce(redis.uri(), Duration.ofSeconds(2));
        RedisClient viaProxy = RedisClients.lettuce(proxyUri(), Duration.ofSeconds(2));
        // A poll interval far above the test's duration: any command but the hand-off's is polling.
        try (RedisLockProvider holderSide = RedisLockProvider.builder(direct).build();
             RedisLockProvider waiterSide = RedisLockProvider.builder(viaProxy).maxPollInterval(Duration.ofMinutes(1)).build()) {
            LockLease held = holderSide.lock("woken").tryAcquire().orElseThrow();
            counter.reset();
            CompletableFuture<Optional<LockLease>> waiter = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    waiter.complete(waiterSide.lock("woken").tryAcquire(Duration.ofSeconds(30)));
                } catch (Throwable e) {
                    waiter.completeExceptionally(e);
                }
            });
            t.start();
            awaitParked(t);
            assertThat(counter.commandNames()).as("a waiter's commands before it sleeps: one attempt, which queues it")
                    .containsExactly("EVALSHA");
            Thread.sleep(300); // asleep: nothing is sent meanwhile
            counter.reset();
            held.release();
            LockLease got = waiter.get(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(counter.commandNames()).as("commands between the release and the waiter's grant: "
                    + "the release grants the lock and publishes its fencing token, nothing to confirm")
                    .isEmpty();
            assertThat(got.fencingToken()).as("the granted waiter's fencing token is above the holder's")
                    .isGreaterThan(held.fencingToken());
            assertThat(got.isHeld()).isTrue();
            got.release();
            assertThat(counter.commandNames()).as("the woken waiter's commands up to and with its release")
                    .containsExactly("EVALSHA");
        } finally {
            RedisClients.shutdown(direct);
            RedisClients.shutdown(viaProxy);
        }
    }

    private static void awaitParked(Thread t) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - end < 0) {
            Thread.State s = t.getState();
            if (s == Thread.State.TIMED_WAITING || s == Thread.State.WAITING) {
                Thread.sleep(50);
                if (t.getState() == s) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the waiter never went to sleep");
    }
}
