package dev.latchkey.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.testkit.redis.RedisServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisIdempotencyStoreLettuceTest extends IdempotencyStoreContract {

    private static RedisClient client;
    private RedisIdempotencyStore redisStore;

    @BeforeAll
    static void connect() {
        client = RedisClient.create(RedisServers.sharedUri());
    }

    @AfterAll
    static void disconnect() {
        client.shutdown();
    }

    @Override
    protected IdempotencyStore newStore() {
        redisStore = RedisIdempotencyStore.builder(client).keyPrefix("test:" + UUID.randomUUID() + ":").build();
        return redisStore;
    }

    @AfterEach
    void closeStore() {
        redisStore.close();
    }

    @Test
    void claim_usesHashTaggedKeyWithTtlInMillisecondsOnRedisClock() {
        String key = newKey();
        store.claim(key, FP, "t", Duration.ofSeconds(90));

        try (StatefulRedisConnection<String, String> c = client.connect()) {
            String redisKey = redisStore.redisKeyOf(key);
            assertThat(redisKey).endsWith("{" + key + "}");
            long now = Long.parseLong(c.sync().time().get(0)) * 1000;
            long deadline = Long.parseLong(c.sync().hget(redisKey, "exp"));
            // Stored in milliseconds: 90 s ahead, not 90 ms and not 90,000 s.
            assertThat(deadline - now).isBetween(80_000L, 91_000L);
            // The record lives one more timeout after its deadline, so a takeover can be reported.
            assertThat(c.sync().pttl(redisKey)).isBetween(170_000L, 180_000L);
        }
    }

    @Test
    void keyPrefix_withBrace_isRefused() {
        assertThatThrownBy(() -> RedisIdempotencyStore.builder(client).keyPrefix("a{b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a{b");
    }
}
