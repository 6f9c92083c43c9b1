package dev.latchkey.idempotency;

import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.testkit.redis.RedisServers;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.JedisPooled;

// JedisPooled is deprecated in Jedis 7 but is still the pooled UnifiedJedis the other Jedis tests use.
@SuppressWarnings("deprecation")
class RedisIdempotencyStoreJedisTest extends IdempotencyStoreContract {

    private static JedisPooled jedis;
    private RedisIdempotencyStore redisStore;

    @BeforeAll
    static void connect() {
        jedis = new JedisPooled(URI.create(RedisServers.sharedUri()));
    }

    @AfterAll
    static void disconnect() {
        jedis.close();
    }

    @Override
    protected IdempotencyStore newStore() {
        redisStore = RedisIdempotencyStore.builder(jedis).keyPrefix("test:" + UUID.randomUUID() + ":").build();
        return redisStore;
    }

    @AfterEach
    void closeStore() {
        redisStore.close();
    }
}
