package dev.latchkey.retry;

/**
 * An optimistic update found that the data changed since it was read: typically a version-checked
 * {@code UPDATE ... WHERE id = ? AND version = ?} that changed no row (see {@link VersionedUpdate}). It is the
 * failure a {@link RetryPolicy} retries by default. Retry the whole read-modify-write, never the
 * {@code UPDATE} alone: the values it writes were computed from the stale read.
 *
 * @since 0.1.0
 */
public class ConcurrencyConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what conflicted */
    public ConcurrencyConflictException(String message) {
        super(message);
    }

    /**
     * @param message what conflicted
     * @param cause the underlying failure, for example a JPA {@code OptimisticLockException}
     */
    public ConcurrencyConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
