package dev.latchkey.lock;

/**
 * The root of Latchkey's lock exceptions. Unchecked: a checked cause is wrapped.
 *
 * @since 0.1
 */
public class LockException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message. */
    public LockException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public LockException(String message, Throwable cause) {
        super(message, cause);
    }
}
