package dev.latchkey.retry;

/**
 * Base of the exceptions thrown by {@link Retry}. Thrown as such when an attempt fails with a checked exception
 * that the policy does not retry: the original is the {@linkplain #getCause() cause}. Unchecked failures that
 * are not retried propagate unchanged.
 *
 * @since 0.1.0
 */
public class RetryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened
     * @param cause the failure that ended the retries
     */
    public RetryException(String message, Throwable cause) {
        super(message, cause);
    }
}
