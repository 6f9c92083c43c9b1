package dev.latchkey.retry;

/**
 * Thrown by {@link Retry#call} and {@link Retry#run} when the calling thread is interrupted while backing off
 * (or was interrupted when a retry was due, or an attempt threw {@link InterruptedException}). Retrying stops at
 * once and the thread's interrupt flag is set again before this is thrown, so code further up still sees the
 * interrupt. The {@linkplain #getCause() cause} is the {@link InterruptedException}; the last failed attempt's
 * exception, if any, is attached as suppressed.
 *
 * @since 0.1.0
 */
public class RetryInterruptedException extends RetryException {

    private static final long serialVersionUID = 1L;

    private final int attempts;

    /**
     * @param message what happened
     * @param cause the interrupt
     * @param attempts attempts made before the interrupt
     */
    public RetryInterruptedException(String message, InterruptedException cause, int attempts) {
        super(message, cause);
        this.attempts = attempts;
    }

    /** The attempts made before the interrupt stopped the retries. */
    public int attempts() {
        return attempts;
    }
}
