package dev.latchkey.lock.jdbc;

import dev.latchkey.lock.LockLease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** With a registry, grants and contention are counted under {@code backend=jdbc}. */
class MetricsTest {

    @Test
    void meterRegistry_countsGrantsAndContention() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (JdbcLockProvider locks = JdbcLockProvider.builder(TestPools.pool("h2")).tableName("latchkey_metric_locks")
                .createTableIfMissing(true).meterRegistry(registry).build()) {
            String name = "metrics:" + UUID.randomUUID();
            LockLease lease = locks.lock(name).tryAcquire().orElseThrow();
            assertThat(locks.lock(name).tryAcquire()).isEmpty();
            lease.release();
        }
        assertThat(registry.get("latchkey.lock.acquire").tag("backend", "jdbc").timer().count()).isEqualTo(1);
        assertThat(registry.get("latchkey.lock.contended").tag("backend", "jdbc").counter().count()).isEqualTo(1);
    }
}
