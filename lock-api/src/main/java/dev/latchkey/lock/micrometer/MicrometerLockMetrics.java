package dev.latchkey.lock.micrometer;

import dev.latchkey.lock.spi.LockMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@link LockMetrics} on a Micrometer {@link MeterRegistry}. Every meter carries the tag
 * {@code backend} (for example {@code local}, {@code redis}, {@code jdbc}); lock names are
 * deliberately <em>not</em> tags, because applications lock unbounded sets of names.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code latchkey.lock.acquire}</td><td>timer</td><td>time from the first attempt to a grant</td></tr>
 *   <tr><td>{@code latchkey.lock.contended}</td><td>counter</td><td>acquire calls that found the lock held</td></tr>
 *   <tr><td>{@code latchkey.lock.timeouts}</td><td>counter</td><td>waits that ran out without a grant</td></tr>
 *   <tr><td>{@code latchkey.lock.leases.lost}</td><td>counter</td><td>leases found lost while believed held</td></tr>
 *   <tr><td>{@code latchkey.lock.leases.expired}</td><td>counter</td><td>releases that found the lease already expired</td></tr>
 * </table>
 *
 * @since 0.1
 */
public final class MicrometerLockMetrics implements LockMetrics {

    private final Timer acquire;
    private final Counter contended;
    private final Counter timeouts;
    private final Counter lost;
    private final Counter expired;

    private MicrometerLockMetrics(MeterRegistry registry, String backend) {
        this.acquire = Timer.builder("latchkey.lock.acquire")
                .description("Time from the first attempt to a grant")
                .tag("backend", backend).register(registry);
        this.contended = Counter.builder("latchkey.lock.contended")
                .description("Acquire calls that found the lock held by another owner")
                .tag("backend", backend).register(registry);
        this.timeouts = Counter.builder("latchkey.lock.timeouts")
                .description("Waits that ran out without a grant")
                .tag("backend", backend).register(registry);
        this.lost = Counter.builder("latchkey.lock.leases.lost")
                .description("Leases found lost while their owner believed them held")
                .tag("backend", backend).register(registry);
        this.expired = Counter.builder("latchkey.lock.leases.expired")
                .description("Releases that found the lease already expired on the backend")
                .tag("backend", backend).register(registry);
    }

    /**
     * Registers the lock meters in {@code registry} with the tag {@code backend=<backend>}.
     *
     * @throws NullPointerException if an argument is null
     */
    public static MicrometerLockMetrics create(MeterRegistry registry, String backend) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(backend, "backend");
        return new MicrometerLockMetrics(registry, backend);
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
        timeouts.increment();
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
