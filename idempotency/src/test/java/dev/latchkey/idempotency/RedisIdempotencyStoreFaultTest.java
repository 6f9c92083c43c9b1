package dev.latchkey.idempotency;

import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.StoredOutcome;
import dev.latchkey.testkit.redis.PrivateRedis;
import dev.latchkey.testkit.redis.RedisClients;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.JedisPooled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Redis store on a private server that is paused and whose scripts are flushed: a paused
 * Redis makes a call fail loudly within the client's command timeout (never a hang, never an
 * answer that looks like another request's claim), and everything works again once it resumes;
 * {@code SCRIPT FLUSH} changes nothing for callers.
 */
@Timeout(60) // a guard against a hang, not a speed check
class RedisIdempotencyStoreFaultTest {

    private static final byte[] FINGERPRINT = "fp".getBytes(StandardCharsets.UTF_8);
    private static final Duration IN_PROGRESS = Duration.ofSeconds(30);

    private PrivateRedis redis;
    private RedisClient lettuce;
    private JedisPooled jedis;

    @BeforeEach
    void start() {
        redis = PrivateRedis.start();
        lettuce = RedisClients.lettuce(redis.uri(), Duration.ofSeconds(1));
        jedis = RedisClients.jedis(redis.uri(), Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        jedis.close();
        lettuce.shutdown();
        redis.close();
    }

    @Test
    void pausedRedis_failsTheCallLoudly_onLettuce_andRecovers() {
        try (RedisIdempotencyStore store = RedisIdempotencyStore.builder(lettuce).build()) {
            pausedRedisFailsLoudlyAndRecovers(store);
        }
    }

    @Test
    void pausedRedis_failsTheCallLoudly_onJedis_andRecovers() {
        try (RedisIdempotencyStore store = RedisIdempotencyStore.builder(jedis).build()) {
            pausedRedisFailsLoudlyAndRecovers(store);
        }
    }

    @Test
    void scriptFlush_changesNothingForCallers() {
        try (RedisIdempotencyStore onLettuce = RedisIdempotencyStore.builder(lettuce).build();
             RedisIdempotencyStore onJedis = RedisIdempotencyStore.builder(jedis).build();
             StatefulRedisConnection<String, String> raw = lettuce.connect()) {
            for (RedisIdempotencyStore store : new RedisIdempotencyStore[] {onLettuce, onJedis}) {
                String key = "flush-" + UUID.randomUUID();
                String token = UUID.randomUUID().toString();
                assertThat(store.claim(key, FINGERPRINT, token, IN_PROGRESS).status()).isEqualTo(ClaimResult.Status.CLAIMED);
                raw.sync().scriptFlush();
                assertThat(store.complete(key, token, StoredOutcome.SUCCESS, "reply".getBytes(StandardCharsets.UTF_8),
                        Duration.ofMinutes(5))).isTrue();
                raw.sync().scriptFlush();
                ClaimResult replay = store.claim(key, FINGERPRINT, UUID.randomUUID().toString(), IN_PROGRESS);
                assertThat(replay.status()).isEqualTo(ClaimResult.Status.COMPLETED);
                assertThat(new String(replay.payload(), StandardCharsets.UTF_8)).isEqualTo("reply");
            }
        }
    }

    private void pausedRedisFailsLoudlyAndRecovers(RedisIdempotencyStore store) {
        String untouched = "pause-" + UUID.randomUUID();
        String claimedInPause = "pause-" + UUID.randomUUID();
        String completedInPause = "pause-" + UUID.randomUUID();
        String token = UUID.randomUUID().toString();
        String token3 = UUID.randomUUID().toString();
        assertThat(store.claim(untouched, FINGERPRINT, token, IN_PROGRESS).status()).isEqualTo(ClaimResult.Status.CLAIMED);
        assertThat(store.claim(completedInPause, FINGERPRINT, token3, IN_PROGRESS).status())
                .isEqualTo(ClaimResult.Status.CLAIMED);
        redis.pause();
        try {
            assertThatThrownBy(() -> store.claim(claimedInPause, FINGERPRINT, UUID.randomUUID().toString(), IN_PROGRESS))
                    .isInstanceOf(IdempotencyBackendException.class)
                    .hasMessageContaining(claimedInPause);
            assertThatThrownBy(() -> store.complete(completedInPause, token3, StoredOutcome.SUCCESS, new byte[0],
                    Duration.ofMinutes(5)))
                    .isInstanceOf(IdempotencyBackendException.class);
        } finally {
            redis.resume();
        }
        // A record the pause did not touch is intact: still in progress for others, completed by its owner.
        assertThat(store.claim(untouched, FINGERPRINT, UUID.randomUUID().toString(), IN_PROGRESS).status())
                .isEqualTo(ClaimResult.Status.IN_PROGRESS);
        assertThat(store.complete(untouched, token, StoredOutcome.SUCCESS, new byte[0], Duration.ofMinutes(5))).isTrue();
        // A call that timed out may still have reached Redis (its bytes were sent before the pause
        // ended): the caller learned nothing either way, and either state is consistent.
        assertThat(store.claim(claimedInPause, FINGERPRINT, UUID.randomUUID().toString(), IN_PROGRESS).status())
                .isIn(ClaimResult.Status.CLAIMED, ClaimResult.Status.IN_PROGRESS);
        assertThat(store.claim(completedInPause, FINGERPRINT, UUID.randomUUID().toString(), IN_PROGRESS).status())
                .isIn(ClaimResult.Status.IN_PROGRESS, ClaimResult.Status.COMPLETED);
    }
}
