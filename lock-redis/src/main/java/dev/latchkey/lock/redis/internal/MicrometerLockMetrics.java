package dev.latchkey.lock.redis.internal;

import dev.latchkey.lock.spi.LockMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * {@link LockMetrics} on Micrometer, tagged {@code backend=redis}. Lock names are not tags: there
 * may be millions. Only loaded when a registry is given, so Micrometer stays optional.
 */
public final class MicrometerLockMetrics implements LockMetrics {

    private final Timer acquire;
    private final Timer timedOut;
    private final Counter contended;
    private final Counter lost;
    private final Counter expired;

    public MicrometerLockMetrics(MeterRegistry registry) {
        this.acquire = Timer.builder("latchkey.lock.acquire").description("time to obtain a grant")
                .tag("backend", "redis").register(registry);
        this.timedOut = Timer.builder("latchkey.lock.acquire.timeout").description("waits that ran out")
                .tag("backend", "redis").register(registry);
        this.contended = Counter.builder("latchkey.lock.contended").description("attempts that found the lock held")
                .tag("backend", "redis").register(registry);
        this.lost = Counter.builder("latchkey.lock.leases.lost").description("leases found lost while believed held")
                .tag("backend", "redis").register(registry);
        this.expired = Counter.builder("latchkey.lock.leases.expired").description("releases that found the lease expired")
                .tag("backend", "redis").register(registry);
    }

    @Override
    public void acquired(String name, long waitNanos) {
        acquire.record(waitNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void contended(String name) {
        contended.increment();
    }

    @Override
    public void timedOut(String name, long waitNanos) {
        timedOut.record(waitNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void leaseLost(String name) {
        lost.increment();
    }

    @Override
    public void leaseExpired(String name) {
        expired.increment();
    }
}
