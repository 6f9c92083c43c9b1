package dev.latchkey.retry.internal;

import dev.latchkey.retry.RetryExhaustedException;
import dev.latchkey.retry.RetryExhaustedException.Reason;
import dev.latchkey.retry.RetryInterruptedException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one retry run, created at its first failure: attempt count, previous delay (for decorrelated
 * jitter), and the bounded list of earlier failures. Decides after each failure whether and when to retry.
 * Used by one thread at a time (async runs hand it from one completion to the next).
 */
final class RetryRun {

    private static final Logger LOG = LoggerFactory.getLogger("dev.latchkey.retry.Retry");

    static final long STOP = -1L;

    private final RetryEngine engine;
    private final long startNanos;
    private int attempts = 1;
    private long previousDelay;
    private Throwable last;
    /** Ring of the most recent earlier failures, allocated at the second failure, sized for what can occur. */
    private Throwable[] earlier;
    private int earlierCount;
    private Throwable terminal;

    RetryRun(RetryEngine engine, long startNanos) {
        this.engine = engine;
        this.startNanos = startNanos;
    }

    int attempts() {
        return attempts;
    }

    void nextAttempt() {
        attempts++;
    }

    /** What the caller gets after {@link #onFailure} returned {@link #STOP}. */
    Throwable terminal() {
        return terminal;
    }

    /**
     * Records the failure of the current attempt and decides.
     *
     * @return the backoff in nanoseconds before the next attempt (0: none), or {@link #STOP}
     */
    long onFailure(Throwable failure) {
        engine.metrics.attemptFailed(failure);
        engine.listener.onAttemptFailed(attempts, failure);
        if (!engine.policy.shouldRetry(failure)) {
            abort(failure);
            return STOP;
        }
        remember(failure);
        if (attempts >= engine.maxAttempts) {
            return exhaust(Reason.MAX_ATTEMPTS);
        }
        long delay = engine.backoff.delayNanos(attempts, previousDelay, engine.random());
        if (engine.maxDurationNanos > 0
                && engine.clock.nanoTime() - startNanos + delay >= engine.maxDurationNanos) {
            return exhaust(Reason.DEADLINE);
        }
        // Spent last, so a run that stops for another reason keeps its token.
        if (engine.budget != null && !engine.budget.tryAcquireRetry()) {
            return exhaust(Reason.BUDGET);
        }
        previousDelay = delay;
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] attempt {} failed ({}); retrying in {} ns", engine.policy.name(), attempts, failure, delay);
        }
        if (engine.listener != SafeRetryListener.NONE) { // spares the Duration when nobody listens
            engine.listener.onRetryScheduled(attempts, failure, Duration.ofNanos(delay));
        }
        return delay;
    }

    private void remember(Throwable failure) {
        if (last != null) {
            if (earlier == null) {
                earlier = new Throwable[Math.min(RetryExhaustedException.MAX_SUPPRESSED,
                        Math.max(1, engine.maxAttempts - 1))];
            }
            earlier[earlierCount % earlier.length] = last;
            earlierCount++;
        }
        last = failure;
    }

    private long exhaust(Reason reason) {
        Duration elapsed = Duration.ofNanos(Math.max(0L, engine.clock.nanoTime() - startNanos));
        int kept = earlier == null ? 0 : Math.min(earlierCount, earlier.length);
        RetryExhaustedException e =
                new RetryExhaustedException(reason, attempts, elapsed, last, earlierCount - kept);
        int oldest = earlierCount - kept;
        for (int i = 0; i < kept; i++) {
            e.addSuppressed(earlier[(oldest + i) % earlier.length]);
        }
        engine.metrics.exhausted();
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] giving up: {}", engine.policy.name(), e.getMessage());
        }
        engine.listener.onExhausted(e);
        terminal = e;
        return STOP;
    }

    private void abort(Throwable failure) {
        engine.metrics.aborted();
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] attempt {} failed with {}, which is not retried", engine.policy.name(), attempts, failure);
        }
        engine.listener.onAborted(attempts, failure);
        terminal = failure;
    }

    /** The backoff (or the wait for it) was interrupted: the flag is already restored by the caller. */
    RetryInterruptedException interrupted(InterruptedException cause) {
        engine.metrics.aborted();
        engine.listener.onAborted(attempts, cause);
        Thread.currentThread().interrupt();
        RetryInterruptedException e = new RetryInterruptedException(
                "Interrupted after " + attempts + " attempt(s); not retrying", cause, attempts);
        if (last != null) {
            e.addSuppressed(last);
        }
        LOG.debug("[{}] interrupted after {} attempt(s)", engine.policy.name(), attempts);
        return e;
    }

    /** An attempt itself threw InterruptedException; already reported as aborted. */
    RetryInterruptedException interruptedAfterAbort(InterruptedException cause) {
        return new RetryInterruptedException("Attempt " + attempts + " was interrupted; not retrying", cause, attempts);
    }
}
