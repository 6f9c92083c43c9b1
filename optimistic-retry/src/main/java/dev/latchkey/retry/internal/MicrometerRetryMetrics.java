package dev.latchkey.retry.internal;

import dev.latchkey.retry.ConcurrencyConflictException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** Micrometer meters of one policy. Loaded only when a registry is configured. */
public final class MicrometerRetryMetrics implements RetryMetrics {

    private final Counter attempts;
    private final Counter conflicts;
    private final Counter exhausted;
    private final Counter aborted;
    private final Timer backoff;

    private MicrometerRetryMetrics(MeterRegistry registry, String policy) {
        this.attempts = Counter.builder("latchkey.retry.attempts").tag("policy", policy)
                .description("Attempts made, the first ones included").register(registry);
        this.conflicts = Counter.builder("latchkey.retry.conflicts").tag("policy", policy)
                .description("Attempts that failed with a ConcurrencyConflictException").register(registry);
        this.exhausted = Counter.builder("latchkey.retry.exhausted").tag("policy", policy)
                .description("Runs that gave up: attempts, deadline or budget used up").register(registry);
        this.aborted = Counter.builder("latchkey.retry.aborted").tag("policy", policy)
                .description("Runs stopped by a failure that is not retried, or by an interrupt").register(registry);
        this.backoff = Timer.builder("latchkey.retry.backoff").tag("policy", policy)
                .description("Time spent backing off between attempts").register(registry);
    }

    /**
     * Registers (or finds) the meters of {@code policy} in {@code registry}.
     *
     * @param registry a {@link MeterRegistry} already checked by {@link #checkRegistry}
     */
    public static RetryMetrics create(Object registry, String policy) {
        return new MicrometerRetryMetrics((MeterRegistry) registry, policy);
    }

    /**
     * @throws IllegalArgumentException if {@code registry} is not a {@link MeterRegistry} or Micrometer is absent
     */
    public static void checkRegistry(Object registry) {
        boolean ok;
        try {
            ok = registry instanceof MeterRegistry;
        } catch (NoClassDefFoundError e) {
            throw new IllegalArgumentException("Micrometer (io.micrometer:micrometer-core) is not on the class path;"
                    + " cannot use " + registry, e);
        }
        if (!ok) {
            throw new IllegalArgumentException("registry must be an io.micrometer.core.instrument.MeterRegistry: "
                    + registry + " (" + registry.getClass().getName() + ")");
        }
    }

    @Override
    public void attemptStarted() {
        attempts.increment();
    }

    @Override
    public void attemptFailed(Throwable failure) {
        if (failure instanceof ConcurrencyConflictException) {
            conflicts.increment();
        }
    }

    @Override
    public void exhausted() {
        exhausted.increment();
    }

    @Override
    public void aborted() {
        aborted.increment();
    }

    @Override
    public void backedOff(long nanos) {
        backoff.record(nanos, TimeUnit.NANOSECONDS);
    }
}
