package dev.latchkey.idempotency.internal;

import dev.latchkey.idempotency.spi.IdempotencyMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts idempotency events in Micrometer. Only loaded when a registry is configured, so
 * Micrometer stays an optional dependency. Meters: {@code latchkey.idempotency.claims},
 * {@code .takeovers}, {@code .replays}, {@code .conflicts}, {@code .fingerprint.mismatches},
 * {@code .claims.lost}, each tagged with {@code store}.
 */
public final class MicrometerIdempotencyMetrics implements IdempotencyMetrics {

    private final Counter claims;
    private final Counter takeovers;
    private final Counter replays;
    private final Counter conflicts;
    private final Counter mismatches;
    private final Counter claimsLost;

    /** Registers the counters in {@code registry}, tagged with the store's name. */
    public MicrometerIdempotencyMetrics(MeterRegistry registry, String store) {
        claims = counter(registry, "latchkey.idempotency.claims", "requests that claimed their key", store);
        takeovers = counter(registry, "latchkey.idempotency.takeovers", "claims that replaced an expired claim", store);
        replays = counter(registry, "latchkey.idempotency.replays", "stored responses replayed", store);
        conflicts = counter(registry, "latchkey.idempotency.conflicts", "duplicates refused while in progress", store);
        mismatches = counter(registry, "latchkey.idempotency.fingerprint.mismatches",
                "keys reused with a different fingerprint", store);
        claimsLost = counter(registry, "latchkey.idempotency.claims.lost",
                "completions rejected because the claim was lost", store);
    }

    private static Counter counter(MeterRegistry registry, String name, String description, String store) {
        return Counter.builder(name).description(description).tag("store", store).register(registry);
    }

    @Override
    public void claimed() {
        claims.increment();
    }

    @Override
    public void tookOver() {
        takeovers.increment();
    }

    @Override
    public void replayed() {
        replays.increment();
    }

    @Override
    public void inProgressConflict() {
        conflicts.increment();
    }

    @Override
    public void fingerprintMismatch() {
        mismatches.increment();
    }

    @Override
    public void claimLost() {
        claimsLost.increment();
    }
}
