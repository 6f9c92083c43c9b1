package dev.latchkey.lock;

import java.util.Collection;

/**
 * A source of {@link DistributedLock}s that share one backend: an in-JVM table
 * ({@link LocalLockProvider}), a Redis deployment or a database table.
 *
 * <p>A provider is thread-safe and meant to be shared: create one per backend and application,
 * and {@link #close()} it at shutdown. Creating a {@link DistributedLock} does no I/O; every
 * operation on it does. After {@code close()} every operation fails with
 * {@link IllegalStateException}; leases still held are released on a best-effort basis.
 *
 * <pre>{@code
 * try (LockProvider locks = new LocalLockProvider()) {
 *     DistributedLock lock = locks.lock("stock:laptop");
 *     try (LockLease lease = lock.acquire(Duration.ofSeconds(2))) {
 *         stockStore.decrement("laptop", lease.fencingToken());
 *     }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface LockProvider extends AutoCloseable {

    /**
     * Returns the lock of {@code name} with this provider's default {@link LockOptions}.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is empty, longer than 512 UTF-8 bytes or
     *     contains a control character
     * @throws IllegalStateException if this provider is closed
     */
    DistributedLock lock(String name);

    /**
     * Returns the lock of {@code name} with the given options.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is not a valid lock name
     * @throws IllegalStateException if this provider is closed
     */
    DistributedLock lock(String name, LockOptions options);

    /**
     * Returns a lock over all of {@code names} together: acquiring it grants every name or none.
     * Names are taken in one canonical order (duplicates removed), so two callers locking
     * overlapping sets in different orders never deadlock, and a failed attempt never leaves a
     * partial set held. The lease's {@link LockLease#fencingTokens()} has one token per name.
     *
     * @throws NullPointerException if an argument or a name is null
     * @throws IllegalArgumentException if {@code names} is empty or holds an invalid name
     * @throws IllegalStateException if this provider is closed
     */
    DistributedLock lockAll(Collection<String> names, LockOptions options);

    /**
     * Same as {@link #lockAll(Collection, LockOptions)} with this provider's default options.
     *
     * @throws NullPointerException if {@code names} or a name is null
     * @throws IllegalArgumentException if {@code names} is empty or holds an invalid name
     * @throws IllegalStateException if this provider is closed
     */
    default DistributedLock lockAll(Collection<String> names) {
        return lockAll(names, defaultOptions());
    }

    /**
     * Returns the options locks get from {@link #lock(String)}.
     */
    LockOptions defaultOptions();

    /**
     * Closes the provider: stops renewals, releases held leases best-effort and frees the
     * backend connections it owns (never the client or data source the caller passed in).
     * Idempotent.
     */
    @Override
    void close();
}
