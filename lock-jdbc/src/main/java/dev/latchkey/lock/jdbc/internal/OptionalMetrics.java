package dev.latchkey.lock.jdbc.internal;

import dev.latchkey.lock.micrometer.MicrometerLockMetrics;
import dev.latchkey.lock.spi.LockMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The one place that touches Micrometer types, reached only when the application passed a
 * registry, so Micrometer stays an optional dependency.
 */
public final class OptionalMetrics {

    private OptionalMetrics() {
    }

    /** Lock meters tagged {@code backend=jdbc} on {@code registry} (a {@code MeterRegistry}). */
    public static LockMetrics micrometer(Object registry) {
        return MicrometerLockMetrics.create((MeterRegistry) registry, "jdbc");
    }
}
