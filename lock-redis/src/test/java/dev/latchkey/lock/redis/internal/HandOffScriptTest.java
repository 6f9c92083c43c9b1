package dev.latchkey.lock.redis.internal;

import dev.latchkey.lock.redis.spi.RedisConnector;
import dev.latchkey.testkit.redis.PrivateRedis;
import dev.latchkey.testkit.redis.RedisClients;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scripts' side of the hand-off delay and of the fencing counter, called directly on a private
 * server, so that no provider's timing (its late wake, its waiters' polls) can act in between.
 * Waiters are registrations written by the test, on a channel the test listens to.
 */
class HandOffScriptTest {

    private static final String PREFIX = "latchkey-script:";
    private static final String CHANNEL = "latchkey-script:test-channel";
    private static final String MARKER = "marker";
    private static final byte[] FENCE_TTL = b(Long.toString(RedisLockBackend.FENCE_TTL_MILLIS));
    private static final long MINUTE_US = TimeUnit.MINUTES.toMicros(1);

    private final RedisKeys keys = new RedisKeys(PREFIX);
    private final BlockingQueue<String> published = new LinkedBlockingQueue<>();
    private PrivateRedis redis;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private StatefulRedisPubSubConnection<String, String> listener;
    private RedisCommands<String, String> raw;
    private RedisConnector connector;

    @BeforeEach
    void start() {
        redis = PrivateRedis.start();
        client = RedisClients.lettuce(redis.uri(), Duration.ofSeconds(5));
        connection = client.connect();
        raw = connection.sync();
        connector = RedisConnector.lettuce(client);
        listener = client.connectPubSub();
        listener.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                published.add(message);
            }
        });
        listener.sync().subscribe(CHANNEL);
    }

    @AfterEach
    void stop() {
        listener.close();
        connection.close();
        connector.close();
        RedisClients.shutdown(client);
        redis.close();
    }

    @Test
    void release_whileEveryWaiterIsYoungerThanTheDelay_leavesTheLockFree_andSaysWhenTheOldestIsDue() throws Exception {
        raw.set(keys.lock("room"), "holder");
        register("room", "waiter", 0);

        Object reply = release("room", "holder", "0", MINUTE_US);

        assertThat(reply).as("a release that leaves young waiters queued says so, with when the oldest is due")
                .isInstanceOf(List.class);
        assertThat((Long) ((List<?>) reply).get(0)).isEqualTo(2L);
        assertThat((Long) ((List<?>) reply).get(1)).isBetween(50_000L, 60_000L);
        assertThat(raw.exists(keys.lock("room"))).as("the lock is free for whoever asks first").isZero();
        assertThat(raw.zscore(queue("room"), "waiter")).as("the young waiter keeps its place").isNotNull();
        assertThat(publishedBeforeMarker()).as("nobody was woken").isEmpty();
    }

    @Test
    void release_handsTheLockToTheOldestWaiterThatHasWaitedTheDelay() throws Exception {
        raw.set(keys.lock("room"), "holder");
        register("room", "old", 3_000);
        register("room", "young", 0);

        Object reply = release("room", "holder", "0", TimeUnit.SECONDS.toMicros(1));

        assertThat(reply).isEqualTo(1L);
        assertThat(raw.get(keys.lock("room"))).as("granted to the waiter queued for longer than the delay")
                .isEqualTo("old");
        List<String> messages = publishedBeforeMarker();
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0)).startsWith("old ");
        assertThat(raw.zscore(queue("room"), "young")).isNotNull();
    }

    @Test
    void plainRelease_deletesOnlyTheHoldersLock_andLeavesEvenADueWaiterQueued() throws Exception {
        raw.set(keys.lock("room"), "holder");
        register("room", "old", 3_000);

        assertThat(release("room", "someone-else", "p", MINUTE_US)).as("not the holder's token").isEqualTo(0L);
        assertThat(raw.get(keys.lock("room"))).isEqualTo("holder");
        assertThat(release("room", "holder", "p", MINUTE_US)).isEqualTo(1L);

        assertThat(raw.exists(keys.lock("room"))).isZero();
        assertThat(raw.zscore(queue("room"), "old")).isNotNull();
        assertThat(publishedBeforeMarker()).isEmpty();
    }

    @Test
    void waitersFirstAttempt_thatFails_registersForAGrant_andAReleaseHandsItOn() throws Exception {
        raw.set(keys.lock("room"), "holder");

        List<?> attempt = attempt("room", "waiter", "G");

        assertThat((Long) attempt.get(0)).as("held").isZero();
        assertThat(raw.zscore(queue("room"), "waiter")).as("queued").isNotNull();
        assertThat(raw.hget(registrations("room"), "waiter")).as("registered in the grant mode the releases read")
                .matches("\\d+ 60000 g " + CHANNEL);
        assertThat(release("room", "holder", "0", 0)).isEqualTo(1L);
        assertThat(raw.get(keys.lock("room"))).isEqualTo("waiter");
        assertThat(publishedBeforeMarker()).singleElement().asString().startsWith("waiter ");
    }

    @Test
    void waitersAttemptThatTakesTheLock_cleansItsRegistrationUp_unlessItIsItsFirst() {
        raw.hset(registrations("room"), "first", "0 60000 g " + CHANNEL);
        assertThat((Long) attempt("room", "first", "G").get(0)).isEqualTo(1L);
        assertThat(raw.hexists(registrations("room"), "first")).as("a first attempt looks for no registration")
                .isTrue();
        release("room", "first", "0", 0);

        register("room", "again", 0);
        assertThat((Long) attempt("room", "again", "g").get(0)).isEqualTo(1L);
        assertThat(raw.hexists(registrations("room"), "again")).as("a later attempt removes its registration")
                .isFalse();
        assertThat(raw.zscore(queue("room"), "again")).isNull();
    }

    @Test
    void wake_handsAFreeLockToTheOldestWaiterWhateverItsAge_andNeverTouchesAHeldOne() throws Exception {
        register("room", "young", 0);
        raw.set(keys.lock("room"), "somebody");

        assertThat(release("room", "-", "w", 0)).as("held: the wake leaves it alone").isEqualTo(0L);
        assertThat(raw.get(keys.lock("room"))).isEqualTo("somebody");

        raw.del(keys.lock("room"));
        assertThat(release("room", "-", "w", 0)).isEqualTo(1L);
        assertThat(raw.get(keys.lock("room"))).isEqualTo("young");
        List<String> messages = publishedBeforeMarker();
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0)).startsWith("young ");
    }

    @Test
    void fencingTokens_goUpByOne_jumpToTheClockWhenBehindOrMissing_andNeverGoDown() {
        String fence = keys.acquireKeys("room").get(1);
        long clockBefore = serverMicros();
        long first = acquire("room", "a");
        assertThat(first).as("no counter yet: the clock").isGreaterThanOrEqualTo(clockBefore);
        release("room", "a", "0", 0);
        long second = acquire("room", "b");
        assertThat(second).isGreaterThan(first);
        release("room", "b", "0", 0);

        raw.set(fence, "5"); // far behind the clock (a failover that lost writes, say)
        clockBefore = serverMicros();
        long third = acquire("room", "c");
        assertThat(third).as("behind the clock: jumps to it").isGreaterThanOrEqualTo(clockBefore);
        release("room", "c", "0", 0);

        long ahead = serverMicros() + TimeUnit.HOURS.toMicros(1); // ahead of the clock (a clock stepped back)
        raw.set(fence, Long.toString(ahead));
        long fourth = acquire("room", "d");
        assertThat(fourth).as("ahead of the clock: one up, never down to the clock").isEqualTo(ahead + 1);
        release("room", "d", "0", 0);

        raw.del(fence); // a restart without persistence
        assertThat(acquire("room", "e")).isGreaterThanOrEqualTo(clockBefore).isGreaterThan(third);
    }

    private long acquire(String name, String owner) {
        List<?> r = attempt(name, owner, "0");
        assertThat((Long) r.get(0)).as("acquired " + name + " for " + owner).isEqualTo(1L);
        return (Long) r.get(1);
    }

    /** An attempt in {@code mode} ("0" not a waiter; a waiter's "g", or "G" for its first), lease and registration 60 s. */
    private List<?> attempt(String name, String owner, String mode) {
        return (List<?>) connector.eval(RedisLockBackend.ACQUIRE, keys.acquireKeys(name), List.of(
                b(owner), b("60000"), FENCE_TTL, b(mode), b("60000"), b("1000"), b(CHANNEL)));
    }

    /** As the backend calls it: the plain mode with the lock key and its two arguments only. */
    private Object release(String name, String owner, String mode, long delayMicros) {
        if (mode.equals("p")) {
            return connector.eval(RedisLockBackend.RELEASE, List.of(keys.lock(name)), List.of(b(owner), b(mode)));
        }
        return connector.eval(RedisLockBackend.RELEASE, keys.releaseKeys(name),
                List.of(b(owner), b(mode), FENCE_TTL, b(Long.toString(delayMicros))));
    }

    private String registrations(String name) {
        return keys.acquireKeys(name).get(3);
    }

    /** A live waiter registration for a grant, queued {@code ageMillis} ago on the server's clock. */
    private void register(String name, String owner, long ageMillis) {
        long nowUs = serverMicros();
        raw.zadd(queue(name), nowUs - ageMillis * 1_000, owner);
        raw.hset(keys.acquireKeys(name).get(3), owner, (nowUs / 1_000 + 60_000) + " 60000 g " + CHANNEL);
    }

    private String queue(String name) {
        return keys.acquireKeys(name).get(2);
    }

    private long serverMicros() {
        List<String> t = raw.time();
        return Long.parseLong(t.get(0)) * 1_000_000 + Long.parseLong(t.get(1));
    }

    /** Everything published on the test's channel before a marker the test publishes now. */
    private List<String> publishedBeforeMarker() throws InterruptedException {
        raw.publish(CHANNEL, MARKER);
        List<String> before = new ArrayList<>();
        while (true) {
            String m = published.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("the marker arrives").isNotNull();
            if (m.equals(MARKER)) {
                return before;
            }
            before.add(m);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
