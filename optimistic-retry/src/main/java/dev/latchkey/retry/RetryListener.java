package dev.latchkey.retry;

import java.time.Duration;

/**
 * Told what a retry run does. Every method has an empty default; implement those you need. Called on the thread
 * that ran the attempt (for {@link Retry#callAsync}, the thread that completed it). Never called when the first
 * attempt succeeds. An exception thrown by a listener is logged and ignored: it never changes the outcome.
 *
 * @since 0.1.0
 */
public interface RetryListener {

    /**
     * An attempt failed (whether or not it will be retried).
     *
     * @param attempt the attempt number, 1 for the first
     * @param failure what it threw
     */
    default void onAttemptFailed(int attempt, Throwable failure) {
    }

    /**
     * A retry will run after {@code delay}.
     *
     * @param attempt the number of the attempt that just failed
     * @param failure what it threw
     * @param delay the backoff before the next attempt (zero: no sleep)
     */
    default void onRetryScheduled(int attempt, Throwable failure, Duration delay) {
    }

    /**
     * Retrying stopped on a retryable failure: attempts, deadline or budget used up.
     *
     * @param exception what the caller receives
     */
    default void onExhausted(RetryExhaustedException exception) {
    }

    /**
     * Retrying stopped because the failure is not retryable (matched {@code abortOn}, or neither {@code retryOn}
     * nor {@code retryIf}), or because the thread was interrupted.
     *
     * @param attempt the number of the last attempt
     * @param failure the failure that stopped it
     */
    default void onAborted(int attempt, Throwable failure) {
    }
}
