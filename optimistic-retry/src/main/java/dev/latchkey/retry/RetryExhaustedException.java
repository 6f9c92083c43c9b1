package dev.latchkey.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown when a retryable failure is not retried again: attempts used up, the deadline would be passed, or the
 * shared {@link RetryBudget} is empty. The {@linkplain #getCause() cause} is the last failure; up to
 * {@link #MAX_SUPPRESSED} earlier failures (the most recent ones) are attached as
 * {@linkplain #getSuppressed() suppressed}, so a long retry run cannot pin an unbounded amount of memory.
 *
 * @since 0.1.0
 */
public class RetryExhaustedException extends RetryException {

    private static final long serialVersionUID = 1L;

    /** At most this many earlier failures are kept as suppressed exceptions. */
    public static final int MAX_SUPPRESSED = 8;

    /** Why retrying stopped. */
    public enum Reason {
        /** {@link RetryPolicy#maxAttempts()} attempts were made. */
        MAX_ATTEMPTS,
        /** The next retry would start after {@link RetryPolicy#maxDuration()}. */
        DEADLINE,
        /** The shared {@link RetryBudget} had no token left for another retry. */
        BUDGET
    }

    private final Reason reason;
    private final int attempts;
    private final Duration elapsed;
    private final int droppedFailures;

    /**
     * @param reason why retrying stopped
     * @param attempts attempts made
     * @param elapsed time spent in the retry run
     * @param lastFailure the last failure, the cause
     * @param droppedFailures earlier failures not attached because of the bound
     */
    public RetryExhaustedException(Reason reason, int attempts, Duration elapsed, Throwable lastFailure,
                                   int droppedFailures) {
        super(message(reason, attempts, elapsed, lastFailure), lastFailure);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.attempts = attempts;
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
        this.droppedFailures = droppedFailures;
    }

    private static String message(Reason reason, int attempts, Duration elapsed, Throwable last) {
        return "Gave up after " + attempts + (attempts == 1 ? " attempt" : " attempts") + " in " + elapsed
                + " (" + reason + "): " + last;
    }

    /** Why retrying stopped. */
    public Reason reason() {
        return reason;
    }

    /** Attempts made, counting the first. */
    public int attempts() {
        return attempts;
    }

    /**
     * Time spent in the retry run: from the start of the first attempt when the policy has a
     * {@link RetryPolicy#maxDuration() maxDuration}; otherwise from the end of the first attempt, because the
     * clock is not read on the path where the first attempt succeeds.
     */
    public Duration elapsed() {
        return elapsed;
    }

    /** The last failure (same as {@link #getCause()}). */
    public Throwable lastFailure() {
        return getCause();
    }

    /** How many earlier failures were not attached as suppressed because of {@link #MAX_SUPPRESSED}. */
    public int droppedFailures() {
        return droppedFailures;
    }
}
