package dev.latchkey.retry.internal;

import dev.latchkey.retry.RetryExhaustedException;
import dev.latchkey.retry.RetryListener;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans events out to the policy's listeners. A listener that throws is logged and skipped: observing a retry
 * must never change its outcome.
 */
public final class SafeRetryListener implements RetryListener {

    private static final Logger LOG = LoggerFactory.getLogger(SafeRetryListener.class);

    /** Used when the policy has no listener. */
    public static final RetryListener NONE = new RetryListener() {
    };

    private final RetryListener[] listeners;

    private SafeRetryListener(List<RetryListener> listeners) {
        this.listeners = listeners.toArray(new RetryListener[0]);
    }

    /** One listener standing for all of {@code listeners}, or {@link #NONE}. */
    public static RetryListener of(List<RetryListener> listeners) {
        return listeners.isEmpty() ? NONE : new SafeRetryListener(listeners);
    }

    @Override
    public void onAttemptFailed(int attempt, Throwable failure) {
        for (RetryListener l : listeners) {
            try {
                l.onAttemptFailed(attempt, failure);
            } catch (RuntimeException e) {
                warn(l, e);
            }
        }
    }

    @Override
    public void onRetryScheduled(int attempt, Throwable failure, Duration delay) {
        for (RetryListener l : listeners) {
            try {
                l.onRetryScheduled(attempt, failure, delay);
            } catch (RuntimeException e) {
                warn(l, e);
            }
        }
    }

    @Override
    public void onExhausted(RetryExhaustedException exception) {
        for (RetryListener l : listeners) {
            try {
                l.onExhausted(exception);
            } catch (RuntimeException e) {
                warn(l, e);
            }
        }
    }

    @Override
    public void onAborted(int attempt, Throwable failure) {
        for (RetryListener l : listeners) {
            try {
                l.onAborted(attempt, failure);
            } catch (RuntimeException e) {
                warn(l, e);
            }
        }
    }

    private static void warn(RetryListener listener, RuntimeException e) {
        LOG.warn("Retry listener {} threw; ignored", listener, e);
    }
}
