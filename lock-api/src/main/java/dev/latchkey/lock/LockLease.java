package dev.latchkey.lock;

import java.time.Duration;
import java.util.Map;

/**
 * One grant of a {@link DistributedLock}: it lasts until it is released, or until its lease time
 * runs out on the backend's clock.
 *
 * <h2>Why a lease, and why fencing tokens</h2>
 * A process can pause (a GC, a page fault, a network partition) after it checked that it holds
 * the lock and before it writes. If the pause outlasts the lease, the backend grants the lock to
 * someone else and two writers overlap. The lease cannot stop that; the storage can: every grant
 * carries a {@linkplain #fencingToken() fencing token} that is strictly larger than every earlier
 * grant's token for the same name. Pass it along with each write and have the storage keep the
 * largest token it has seen and reject anything smaller:
 *
 * <pre>{@code
 * try (LockLease lease = lock.acquire(Duration.ofSeconds(2))) {
 *     int rows = jdbc.update(
 *         "UPDATE stock SET qty = ?, fence = ? WHERE sku = ? AND fence < ?",
 *         newQty, lease.fencingToken(), sku, lease.fencingToken());
 *     if (rows == 0) throw new LockLostException("a newer holder has written");
 * }
 * }</pre>
 *
 * <p>{@link #isHeld()} is conservative: it turns false at the lease's <em>safe deadline</em>, taken
 * on this JVM's monotonic clock from the moment the acquire request was sent, minus a drift
 * margin, so it never claims a grant the backend may already have expired.
 *
 * <p>Leases are thread-safe; {@link #release()} and {@link #close()} are idempotent.
 *
 * @since 0.1
 */
public interface LockLease extends AutoCloseable {

    /** The lock's name (for a multi-lock, the names joined in canonical order). */
    String name();

    /** The 128-bit random owner token, hex encoded: only this lease's token can release or extend the grant. */
    String ownerToken();

    /**
     * The fencing token of this grant: strictly larger than the token of every earlier grant of the
     * same name on the same backend. For a multi-lock, the token of the first name in canonical order.
     */
    long fencingToken();

    /** Every name of this grant mapped to its fencing token, in canonical order. */
    default Map<String, Long> fencingTokens() {
        return Map.of(name(), fencingToken());
    }

    /** False once the lease is released, known lost, or past its safe deadline. Does no I/O. */
    boolean isHeld();

    /**
     * Throws unless {@link #isHeld()}.
     *
     * @throws LockLostException if the lease is no longer held
     */
    void ensureHeld();

    /**
     * Sets the remaining lease to {@code leaseTime} from now on the backend's clock, if this lease
     * still holds the lock.
     *
     * @return true if extended; false if the grant had already been lost (released, expired, taken)
     * @throws NullPointerException if {@code leaseTime} is null
     * @throws IllegalArgumentException if {@code leaseTime} is shorter than 10 ms
     * @throws LockBackendException if the backend cannot be reached or fails
     */
    boolean extend(Duration leaseTime);

    /**
     * Releases the grant if this lease still holds it. Idempotent; never releases a grant that
     * now belongs to another owner. Stops auto-renewal before the backend call, so a renewal
     * never outlives the release.
     *
     * @throws LockBackendException if the backend cannot be reached; the lease then reports
     *     not held and the backend frees the grant when its lease runs out
     */
    void release();

    /** Same as {@link #release()}. */
    @Override
    default void close() {
        release();
    }
}
