package dev.latchkey.lock.jdbc.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Wakes the waiters of a lock that a release of this provider left free. With a hand-off delay
 * ({@code handOffAfter}), a release that finds only waiters queued for less than that frees the
 * lock without a {@code NOTIFY}, so that a releaser that asks again at once takes it straight back;
 * under heavy contention that is most releases, and a {@code NOTIFY} (a commit that signals every
 * listening session) costs more than the release itself. Should nobody in this provider take the
 * lock again within {@link #delayNanos} of its latest release, the waiters are woken after all, so
 * a lock that its releaser does not want again is not left idle until they reach the delay.
 *
 * <p>A missed or needless wake-up only costs time: a waiter also attempts when it has waited the
 * delay, and a waiter woken in vain attempts once and sleeps again.
 */
final class LateWakes implements AutoCloseable {

    /** Beyond this many names the marks start afresh (a mark only decides whether to wake). */
    private static final int NAMES = 4096;

    private final long delayNanos;
    /** Sends the wake-up for a name (lease.wake): the lock is free and somebody is queued. */
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

    LateWakes(long delayNanos, Consumer<String> wake) {
        this.delayNanos = delayNanos;
        this.wake = wake;
    }

    /** This provider released {@code name} and left waiters queued that were not handed the lock. */
    void released(String name) {
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
    void acquired(String name) {
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
                    Thread t = new Thread(r, "latchkey-jdbc-late-wakes");
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
