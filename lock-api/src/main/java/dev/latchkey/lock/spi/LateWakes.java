package dev.latchkey.lock.spi;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Wakes the waiters of a lock that a release of this provider left free, for a backend with a
 * hand-off delay ({@code handOffAfter}). Such a backend's release hands the lock on only to a
 * waiter queued at least that long; while every waiter is younger it frees the lock for whoever
 * asks first, so that a releaser that asks again at once takes it straight back without waking
 * anybody (under heavy contention that is most releases, and a wake-up costs more than the release
 * itself). Should nobody in this provider take the lock again within the delay given here of its
 * latest release, the backend's wake action runs after all, so a lock its releaser does not want
 * again is not left idle until the waiters reach the hand-off delay.
 *
 * <p>A backend calls {@link #released} after such a release and {@link #acquired} whenever this
 * provider takes the name. One daemon timer thread per instance, made on first use, ended by
 * {@link #close()}. A missed or needless wake-up only costs time, never safety: the wake action
 * must itself check, on the server, that the lock is free.
 */
public final class LateWakes implements AutoCloseable {

    /** Beyond this many names the marks start afresh (a mark only decides whether to wake). */
    private static final int NAMES = 4096;

    private final String threadName;
    private final long delayNanos;
    /** The backend's wake action for a name. */
    private final Consumer<String> wake;
    private final ConcurrentHashMap<String, Mark> marks = new ConcurrentHashMap<>();
    private final Object timerLock = new Object();
    private ScheduledThreadPoolExecutor timer;
    private boolean closed;

    /** A name's latest release by this provider, and whether this provider has taken it since. */
    private static final class Mark {
        long releasedAt;
        boolean retaken;
        boolean scheduled;
    }

    /**
     * @param threadName the name of the timer thread
     * @param delayNanos how long after a release the wake action runs if this provider has not
     *     taken the name again meanwhile
     * @param wake the wake action, given the lock's name; it runs on the timer thread
     */
    public LateWakes(String threadName, long delayNanos, Consumer<String> wake) {
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        this.delayNanos = delayNanos;
        this.wake = Objects.requireNonNull(wake, "wake");
    }

    /** This provider released {@code name} and left waiters queued that were not handed the lock. */
    public void released(String name) {
        if (marks.size() >= NAMES) {
            marks.clear();
        }
        Mark m = marks.computeIfAbsent(name, k -> new Mark());
        synchronized (m) {
            m.releasedAt = System.nanoTime();
            m.retaken = false;
            if (!m.scheduled) {
                m.scheduled = schedule(name, m, delayNanos);
            }
        }
    }

    /** This provider took {@code name}: a wake-up pending for it is not needed. */
    public void acquired(String name) {
        Mark m = marks.get(name);
        if (m != null) {
            synchronized (m) {
                m.retaken = true;
            }
        }
    }

    private void check(String name, Mark m) {
        synchronized (m) {
            if (m.retaken) {
                m.scheduled = false;
                return;
            }
            long due = m.releasedAt + delayNanos - System.nanoTime();
            if (due > 0) {
                m.scheduled = schedule(name, m, due);
                return;
            }
            m.scheduled = false;
        }
        wake.accept(name);
    }

    private boolean schedule(String name, Mark m, long nanos) {
        synchronized (timerLock) {
            if (closed) {
                return false;
            }
            if (timer == null) {
                timer = new ScheduledThreadPoolExecutor(1, r -> {
                    Thread t = new Thread(r, threadName);
                    t.setDaemon(true);
                    return t;
                });
                timer.setRemoveOnCancelPolicy(true);
            }
            timer.schedule(() -> check(name, m), nanos, TimeUnit.NANOSECONDS);
            return true;
        }
    }

    @Override
    public void close() {
        synchronized (timerLock) {
            closed = true;
            if (timer != null) {
                timer.shutdownNow();
            }
        }
    }
}
