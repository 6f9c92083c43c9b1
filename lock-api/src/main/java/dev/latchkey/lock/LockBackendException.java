package dev.latchkey.lock;

/**
 * The backend could not be reached or failed (a timeout, a closed connection, a SQL error). Never means contention: a held lock is an empty result, not this exception.
 *
 * @since 0.1
 */
public class LockBackendException extends LockException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message. */
    public LockBackendException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public LockBackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
