package dev.latchkey.retry;

import dev.latchkey.retry.internal.SystemRetryClock;

/**
 * The time source and the sleep a {@link Retry} uses: the system's monotonic clock by default. Tests supply one
 * whose {@code sleepNanos} advances a virtual time, so deadlines and backoff are checked without waiting.
 *
 * @since 0.1.0
 */
public interface RetryClock {

    /** A monotonic time in nanoseconds, like {@link System#nanoTime()}. */
    long nanoTime();

    /**
     * Sleeps {@code nanos} nanoseconds. Never called with zero or a negative value.
     *
     * @throws InterruptedException if the thread is interrupted while sleeping
     */
    void sleepNanos(long nanos) throws InterruptedException;

    /** The system clock: {@link System#nanoTime()} and {@link Thread#sleep}. */
    static RetryClock system() {
        return SystemRetryClock.INSTANCE;
    }
}
