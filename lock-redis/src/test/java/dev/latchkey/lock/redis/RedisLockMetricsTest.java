package dev.latchkey.lock.redis;

import dev.latchkey.lock.LockLease;
import dev.latchkey.testkit.redis.RedisClients;
import dev.latchkey.testkit.redis.RedisServers;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RedisLockMetricsTest {

    @Test
    void meterRegistry_recordsAcquisitionsAndContention_taggedRedis() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RedisClient client = RedisClients.lettuce(RedisServers.sharedUri(), RedisClients.TIMEOUT);
        try (RedisLockProvider locks = RedisLockProvider.builder(client)
                .keyPrefix("latchkey-test:" + UUID.randomUUID() + ":").meterRegistry(registry).build()) {
            LockLease lease = locks.lock("metered").tryAcquire().orElseThrow();
            assertThat(locks.lock("metered").tryAcquire()).isEmpty();
            lease.release();
            assertThat(registry.get("latchkey.lock.acquire").tag("backend", "redis").timer().count()).isEqualTo(1);
            assertThat(registry.get("latchkey.lock.contended").tag("backend", "redis").counter().count()).isEqualTo(1.0);
        } finally {
            RedisClients.shutdown(client);
        }
    }
}
