package dev.latchkey.jcstress.idempotency;

import dev.latchkey.idempotency.spi.ClaimResult;

import java.nio.charset.StandardCharsets;

/**
 * Encodes a {@link ClaimResult} as a small int for jcstress's result tables, and holds the
 * request fingerprint every claim of a harness shares (a duplicate of one request).
 */
final class Claims {

    /** Claimed a key nobody had. */
    static final int CLAIMED = 0;
    /** Claimed a key whose previous claim had expired. */
    static final int TOOK_OVER = 1;
    /** Another owner's claim is in progress. */
    static final int IN_PROGRESS = 2;
    /** The key is completed: the stored response is replayed. */
    static final int COMPLETED = 3;

    static final byte[] FINGERPRINT = "POST /orders {sku: laptop, qty: 1}".getBytes(StandardCharsets.UTF_8);

    private Claims() {
    }

    static int code(ClaimResult result) {
        return switch (result.status()) {
            case CLAIMED -> result.takeover() ? TOOK_OVER : CLAIMED;
            case IN_PROGRESS -> IN_PROGRESS;
            case COMPLETED -> COMPLETED;
        };
    }
}
