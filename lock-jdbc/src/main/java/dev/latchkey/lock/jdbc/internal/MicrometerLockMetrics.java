package dev.latchkey.lock.jdbc.internal;

import dev.latchkey.lock.spi.LockMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * Lock metrics on Micrometer, tagged with the backend and table (never the lock name, which would
 * make one time series per name). Loaded only when a registry is given, so Micrometer stays optional.
 */
public final class MicrometerLockMetrics implements LockMetrics {

    private final Timer acquire;
    private final Timer timedOut;
    private final Counter contended;
    private final Counter lost;
    private final Counter expired;

    /** Registers the meters on {@code registry} ({@code MeterRegistry}, typed loosely for optionality). */
    public MicrometerLockMetrics(Object registry, String backend, String table) {
        MeterRegistry r = (MeterRegistry) registry;
        String[] tags = {"backend", backend, "table", table};
        this.acquire = Timer.builder("latchkey.lock.acquire").description("time to obtain a grant").tags(tags)
                .register(r);
        this.timedOut = Timer.builder("latchkey.lock.acquire.timeout").description("waits that ran out")
                .tags(tags).register(r);
        this.contended = Counter.builder("latchkey.lock.contended").description("attempts that found the lock held")
                .tags(tags).register(r);
        this.lost = Counter.builder("latchkey.lock.leases.lost").description("leases found lost while held")
                .tags(tags).register(r);
        this.expired = Counter.builder("latchkey.lock.leases.expired")
                .description("releases that found the lease already expired").tags(tags).register(r);
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
