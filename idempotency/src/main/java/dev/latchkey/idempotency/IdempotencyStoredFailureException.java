package dev.latchkey.idempotency;

/**
 * Replays a failure that an earlier request with the same key and fingerprint ended with and that
 * was marked final by {@link Idempotency.Builder#finalFailure(java.util.function.Predicate)}. The
 * action was not run again. The original exception is not kept, only its class name and message.
 *
 * @since 0.1
 */
public class IdempotencyStoredFailureException extends IdempotencyException {
    private static final long serialVersionUID = 1L;

    private final String failureType;
    private final String failureMessage;

    /**
     * Creates the exception.
     *
     * @param key the idempotency key
     * @param failureType the class name of the original exception
     * @param failureMessage the original message, or null
     */
    public IdempotencyStoredFailureException(String key, String failureType, String failureMessage) {
        super(key, "request with idempotency key \"" + key + "\" already failed finally: " + failureType
                + (failureMessage == null ? "" : ": " + failureMessage), null);
        this.failureType = failureType;
        this.failureMessage = failureMessage;
    }

    /** @return the fully qualified class name of the original exception */
    public String failureType() {
        return failureType;
    }

    /** @return the original exception's message, or null if it had none */
    public String failureMessage() {
        return failureMessage;
    }
}
