package dev.latchkey.lock;

/**
 * Thrown by {@link DistributedLock#acquire} when the lock was still held by another owner when the wait ran out.
 *
 * @since 0.1
 */
public class LockTimeoutException extends LockException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message. */
    public LockTimeoutException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public LockTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
