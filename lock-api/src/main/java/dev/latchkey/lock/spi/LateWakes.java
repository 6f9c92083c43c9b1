package dev.latchkey.lock.spi;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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

    /**
     * For how many delays after the latest release it saw the timer thread stays up, looking again
     * every delay, before it parks with no deadline: long enough that the releases of a provider
     * taking its lock back in a loop never have to unpark it, short enough that a provider that
     * stopped costs only that many more looks.
     */
    static final int LINGER_DELAYS = 2;

    private final String threadName;
    private final long delayNanos;
    /** The backend's wake action for a name. */
    private final Consumer<String> wake;
    private final ConcurrentHashMap<String, Mark> marks = new ConcurrentHashMap<>();
    private final Object threadLock = new Object();
    private Thread thread;
    private volatile boolean closed;
    /** No timer thread yet, or it is parked with nothing pending: a release must start or unpark it. */
    private volatile boolean idle = true;
    /** Times a release started or unparked the timer thread (for tests). */
    private final AtomicLong unparks = new AtomicLong();

    /**
     * A name's latest release by this provider ({@link System#nanoTime()}), and the release that
     * was last dealt with: taken back by this provider, or woken. Equal when nothing is pending.
     */
    private static final class Mark {
        volatile long releasedAt;
        volatile long handledAt;
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
        if (closed) {
            return;
        }
        if (marks.size() >= NameDeadlines.NAMES) { // a mark only decides whether to wake: start afresh
            marks.clear();
        }
        Mark m = marks.computeIfAbsent(name, k -> new Mark());
        long now = System.nanoTime();
        // Never equal to handledAt, which holds an earlier release's time (or 0).
        m.releasedAt = now == m.handledAt ? now + 1 : now;
        if (idle) {
            startOrUnpark();
        }
    }

    /** This provider took {@code name}: a wake-up pending for it is not needed. */
    public void acquired(String name) {
        Mark m = marks.get(name);
        if (m != null) {
            // A release that lands meanwhile changes releasedAt and stays pending.
            m.handledAt = m.releasedAt;
        }
    }

    private void startOrUnpark() {
        synchronized (threadLock) {
            if (closed) {
                return;
            }
            unparks.incrementAndGet();
            if (thread == null) {
                thread = new Thread(this::run, threadName);
                thread.setDaemon(true);
                thread.start();
            } else {
                LockSupport.unpark(thread);
            }
        }
    }

    /** How many times a release started or unparked the timer thread. */
    long unparks() {
        return unparks.get();
    }

    /**
     * Sleeps until the earliest pending release is due, and wakes the names that are. With nothing
     * pending it looks again every delay (a release made meanwhile is due no earlier than that
     * look) until {@link #LINGER_DELAYS} delays have passed since the latest release, then parks
     * with no deadline. Under contention a provider that keeps taking its lock back costs this
     * thread one wake-up per delay, and its releases cost no unpark.
     */
    private void run() {
        idle = false;
        long lastRelease = System.nanoTime();
        while (!closed) {
            long next = Long.MAX_VALUE;
            long now = System.nanoTime();
            for (Map.Entry<String, Mark> e : marks.entrySet()) {
                Mark m = e.getValue();
                long released = m.releasedAt;
                if (released - lastRelease > 0) {
                    lastRelease = released;
                }
                if (released == m.handledAt) {
                    continue;
                }
                long due = released + delayNanos - now;
                if (due > 0) {
                    next = Math.min(next, due);
                    continue;
                }
                m.handledAt = released;
                try {
                    wake.accept(e.getKey());
                } catch (RuntimeException ex) {
                    // The action reports its own failures; a waiter's poll is the fallback.
                }
            }
            if (next != Long.MAX_VALUE) {
                LockSupport.parkNanos(this, next);
                continue;
            }
            if (now - lastRelease < LINGER_DELAYS * delayNanos) {
                LockSupport.parkNanos(this, delayNanos);
                continue;
            }
            idle = true;
            // A release that read idle == false before this write has already set its mark: look again.
            if (!pending()) {
                LockSupport.park(this);
            }
            idle = false;
            lastRelease = System.nanoTime();
        }
    }

    private boolean pending() {
        for (Mark m : marks.values()) {
            if (m.releasedAt != m.handledAt) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        synchronized (threadLock) {
            closed = true;
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }
    }
}
