package dev.latchkey.idempotency.spi;

/**
 * How a completed request ended: what its stored payload holds.
 *
 * @since 0.1
 */
public enum StoredOutcome {
    /** The payload is the encoded response. */
    SUCCESS,
    /** The payload describes a failure marked final; it is replayed as a failure. */
    FAILURE
}
