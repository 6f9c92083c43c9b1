package dev.latchkey.idempotency;

/**
 * The store could not be reached or failed (a timeout, a closed connection, a SQL error, a full
 * in-memory store). Never means a duplicate: duplicates get a replay,
 * {@link IdempotencyInProgressException} or {@link IdempotencyKeyReuseException}. When it is
 * thrown before the action ran, the action was not run; HTTP servers usually answer 503.
 *
 * @since 0.1
 */
public class IdempotencyBackendException extends IdempotencyException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param key the idempotency key concerned, or null
     * @param message what failed
     * @param cause the backend's exception, or null
     */
    public IdempotencyBackendException(String key, String message, Throwable cause) {
        super(key, message, cause);
    }
}
