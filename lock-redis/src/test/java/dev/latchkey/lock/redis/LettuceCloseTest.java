package dev.latchkey.lock.redis;

import dev.latchkey.testkit.redis.PrivateRedis;
import dev.latchkey.testkit.redis.RedisClients;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing a provider and then shutting its Lettuce client down, the usual order at an application's
 * end, closes every connection once: Lettuce logs a warning for each connection closed twice.
 */
class LettuceCloseTest {

    private PrivateRedis redis;

    @BeforeEach
    void start() {
        redis = PrivateRedis.start();
    }

    @AfterEach
    void stop() {
        redis.close();
    }

    @Test
    void providerClosedThenClientShutDown_closesEachConnectionOnce() {
        RedisClient client = RedisClients.lettuce(redis.uri(), Duration.ofSeconds(2));
        PrintStream stderr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        boolean shutDown = false;
        // The provider opens its pub/sub connection too; closing it twice is harmless.
        try (RedisLockProvider locks = RedisLockProvider.builder(client).build()) {
            locks.lock("close").tryAcquire().orElseThrow().release();
            // slf4j-simple, the tests' logger, writes warnings to whatever System.err is at the time.
            System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
            locks.close();
            RedisClients.shutdown(client);
            shutDown = true;
        } finally {
            System.setErr(stderr);
            if (!shutDown) {
                RedisClients.shutdown(client);
            }
        }
        assertThat(logged.toString(StandardCharsets.UTF_8)).doesNotContain("already closed");
    }
}
