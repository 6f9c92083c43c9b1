package dev.latchkey.lock;

/**
 * Thrown when a lease is used after it was lost: released, expired on the backend, or taken by another owner.
 *
 * @since 0.1
 */
public class LockLostException extends LockException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message. */
    public LockLostException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public LockLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
