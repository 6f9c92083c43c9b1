package dev.latchkey.idempotency;

/**
 * Wraps a checked exception thrown by the action, so {@link Idempotency#execute} stays free of
 * checked exceptions. Unchecked exceptions and errors from the action pass through unwrapped.
 *
 * @since 0.1
 */
public class IdempotencyActionException extends IdempotencyException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param key the idempotency key
     * @param cause the action's checked exception
     */
    public IdempotencyActionException(String key, Exception cause) {
        super(key, "action for idempotency key \"" + key + "\" failed: " + cause, cause);
    }
}
