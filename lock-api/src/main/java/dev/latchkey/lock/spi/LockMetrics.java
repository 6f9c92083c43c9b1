package dev.latchkey.lock.spi;

/**
 * What a provider reports about its locks. {@link #NONE} costs nothing; a Micrometer
 * implementation records acquire latency, contention, leases lost and leases expired.
 * Implementations are thread-safe and never throw.
 *
 * @since 0.1
 */
public interface LockMetrics {

    /** Records nothing. */
    LockMetrics NONE = new LockMetrics() {
    };

    /** A grant was obtained after {@code waitNanos} (zero-ish when uncontended). */
    default void acquired(String name, long waitNanos) {
    }

    /** An attempt found the lock held by another owner. */
    default void contended(String name) {
    }

    /** A wait ran out without a grant. */
    default void timedOut(String name, long waitNanos) {
    }

    /** A lease was found lost while its owner believed it held (a failed renewal or extend). */
    default void leaseLost(String name) {
    }

    /** A release found the grant already gone: the lease had expired on the backend before release. */
    default void leaseExpired(String name) {
    }
}
