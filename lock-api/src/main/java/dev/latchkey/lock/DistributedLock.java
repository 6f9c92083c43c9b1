package dev.latchkey.lock;

import java.time.Duration;
import java.util.Optional;

/**
 * A named mutual-exclusion lock shared by every process that uses the same backend.
 *
 * <p>Acquiring it yields a {@link LockLease}: a grant that lasts for the lease time unless it is
 * released, extended or renewed. Ownership belongs to the lease (its random owner token), never
 * to the calling thread, so a lease acquired on one thread may be released on another. A
 * {@code DistributedLock} holds no state of its own and is safe to share; it is not reentrant:
 * acquiring again while holding a lease waits like any other caller.
 *
 * <p>Waiting does not poll blindly: a waiter is woken when the holder releases, or when the
 * holder's remaining lease runs out, whichever comes first.
 *
 * <pre>{@code
 * try (LockLease lease = lock.acquire(Duration.ofSeconds(5))) {
 *     // critical section; pass lease.fencingToken() to the storage you write to
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface DistributedLock {

    /** The lock's name; for a lock from {@link LockProvider#lockAll}, the names joined in canonical order. */
    String name();

    /**
     * Makes one attempt without waiting for another holder.
     *
     * @return the lease, or empty if another owner holds the lock
     * @throws LockBackendException if the backend cannot be reached or fails
     * @throws IllegalStateException if the provider is closed
     */
    Optional<LockLease> tryAcquire();

    /**
     * Waits up to {@code maxWait} for the lock.
     *
     * @return the lease, or empty if the lock was still held by another owner when {@code maxWait} ran out
     * @throws InterruptedException if the thread is interrupted while waiting; no grant is left behind
     * @throws NullPointerException if {@code maxWait} is null
     * @throws IllegalArgumentException if {@code maxWait} is negative
     * @throws LockBackendException if the backend cannot be reached or fails
     */
    Optional<LockLease> tryAcquire(Duration maxWait) throws InterruptedException;

    /**
     * Waits up to {@code maxWait} for the lock and fails if it does not come.
     *
     * @throws LockTimeoutException if the lock was still held by another owner when {@code maxWait} ran out
     * @throws InterruptedException if the thread is interrupted while waiting; no grant is left behind
     * @throws NullPointerException if {@code maxWait} is null
     * @throws IllegalArgumentException if {@code maxWait} is negative
     * @throws LockBackendException if the backend cannot be reached or fails
     */
    LockLease acquire(Duration maxWait) throws InterruptedException;
}
