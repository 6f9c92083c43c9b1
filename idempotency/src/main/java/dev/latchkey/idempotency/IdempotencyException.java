package dev.latchkey.idempotency;

/**
 * The base of every exception {@link Idempotency} throws for reasons of its own (the action's own
 * unchecked exceptions pass through unchanged). Unchecked.
 *
 * @since 0.1
 */
public class IdempotencyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * Creates the exception.
     *
     * @param key the idempotency key concerned, or null if none
     * @param message what went wrong
     * @param cause the cause, or null
     */
    public IdempotencyException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /**
     * The idempotency key concerned.
     *
     * @return the key, or null if the failure concerns no single key
     */
    public String key() {
        return key;
    }
}
