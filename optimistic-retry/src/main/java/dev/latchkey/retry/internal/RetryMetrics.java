package dev.latchkey.retry.internal;

/**
 * What a retry run reports. {@link NoopRetryMetrics} stands in when no registry is configured, so the retry
 * loop calls these unconditionally and Micrometer is never loaded when absent.
 */
public interface RetryMetrics {

    /** An attempt is about to run (the first one too). */
    void attemptStarted();

    /** An attempt failed; counted as a conflict when it is a {@code ConcurrencyConflictException}. */
    void attemptFailed(Throwable failure);

    /** The run gave up on a retryable failure. */
    void exhausted();

    /** The run stopped on a failure that is not retried, or on an interrupt. */
    void aborted();

    /** A backoff of {@code nanos} was slept (or scheduled, for async runs). */
    void backedOff(long nanos);
}
