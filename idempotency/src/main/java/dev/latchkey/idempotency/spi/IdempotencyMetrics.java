package dev.latchkey.idempotency.spi;

/**
 * What {@link dev.latchkey.idempotency.Idempotency} reports. {@link #NONE} costs nothing; the
 * Micrometer implementation counts each event. Implementations are thread-safe and never throw.
 *
 * @since 0.1
 */
public interface IdempotencyMetrics {

    /** Records nothing. */
    IdempotencyMetrics NONE = new IdempotencyMetrics() {
    };

    /** A request claimed its key and will run the action. */
    default void claimed() {
    }

    /** A claim replaced an expired in-progress claim (its holder crashed or was too slow). */
    default void tookOver() {
    }

    /** A stored response (or stored final failure) was replayed. */
    default void replayed() {
    }

    /** A duplicate found its key in progress and was refused (after any configured wait). */
    default void inProgressConflict() {
    }

    /** A request used a key stored with a different fingerprint. */
    default void fingerprintMismatch() {
    }

    /** A completion was rejected because the claim had been lost (a zombie completion). */
    default void claimLost() {
    }
}
