package dev.latchkey.lock.redis;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad options fail at the builder, naming the option and the value, before any connection is made. */
class BuilderValidationTest {

    @Test
    void badOptions_failAtTheBuilder_namingTheOptionAndTheValue() {
        // Nothing listens on port 1: any attempt to connect would fail differently.
        try (JedisPooled unreachable = new JedisPooled("127.0.0.1", 1)) {
            RedisLockProvider.Builder b = RedisLockProvider.builder(unreachable);
            assertThatThrownBy(() -> b.handOffAfter(Duration.ofMillis(-5))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("handOffAfter").hasMessageContaining("-0.005");
            assertThatThrownBy(() -> b.handOffAfter(null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("handOffAfter");
            assertThatThrownBy(() -> b.maxPollInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxPollInterval").hasMessageContaining("PT0S");
            assertThatThrownBy(() -> b.handoffTimeout(Duration.ofMillis(5))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("handoffTimeout").hasMessageContaining("PT0.005S");
            assertThatThrownBy(() -> b.keyPrefix("shop{1}:")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("keyPrefix").hasMessageContaining("shop{1}:");
        }
    }
}
