package dev.latchkey.lock;

/**
 * Told when a lease is found lost while its owner still believed it held: an auto-renewal that
 * failed, because another owner holds the name now or because the backend stayed unreachable
 * until the lease's safe deadline, or an {@link LockLease#extend extend} that found the grant
 * gone. Called at most once per lease, on the renewal thread (or on the thread that called
 * {@code extend}): keep it short and non-blocking (hand the news to your own executor).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface LeaseLostListener {

    /** The listener that ignores every loss. */
    LeaseLostListener NONE = (lease, cause) -> { };

    /**
     * @param lease the lease that is lost; {@link LockLease#isHeld()} already returns false
     * @param cause why: a {@link LockLostException} when another owner holds the name, or the
     *     backend failure that outlasted the safe deadline
     */
    void leaseLost(LockLease lease, Throwable cause);
}
