package dev.latchkey.lock.micrometer;

import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.LocalLockProvider;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.lock.internal.ManagedLease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class MicrometerLockMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double count(String meter) {
        return registry.get(meter).tag("backend", "local").counter().count();
    }

    @Test
    void localProvider_withMeterRegistry_recordsAcquireContentionAndTimeouts() throws InterruptedException {
        try (LocalLockProvider locks = LocalLockProvider.builder().meterRegistry(registry).build()) {
            DistributedLock lock = locks.lock("metrics");
            LockLease lease = lock.tryAcquire().orElseThrow();
            assertThat(lock.tryAcquire()).isEmpty();
            assertThat(lock.tryAcquire(Duration.ofMillis(20))).isEmpty();
            lease.release();

            assertThat(registry.get("latchkey.lock.acquire").tag("backend", "local").timer().count()).isEqualTo(1);
            assertThat(count("latchkey.lock.contended")).isEqualTo(2);
            assertThat(count("latchkey.lock.timeouts")).isEqualTo(1);
        }
    }

    @Test
    void localProvider_withMeterRegistry_countsLostAndExpiredLeases() throws InterruptedException {
        try (LocalLockProvider locks = LocalLockProvider.builder().meterRegistry(registry).build()) {
            LockLease lost = locks.lock("lost").tryAcquire().orElseThrow();
            ((ManagedLease) lost).revokeOnBackend();
            assertThat(lost.extend(Duration.ofSeconds(1))).isFalse();
            assertThat(count("latchkey.lock.leases.lost")).isEqualTo(1);

            LockLease expiring = locks.lock("expiring", LockOptions.builder().leaseTime(Duration.ofMillis(10)).build())
                    .tryAcquire().orElseThrow();
            Thread.sleep(30);
            expiring.release();
            assertThat(count("latchkey.lock.leases.expired")).isEqualTo(1);
        }
    }
}
