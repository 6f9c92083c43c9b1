package dev.latchkey.lock.internal;

import dev.latchkey.lock.spi.AcquireResult;
import dev.latchkey.lock.spi.LockBackend;
import dev.latchkey.lock.spi.ReleaseSignals;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The in-JVM lock backend: a table of grants keyed by name, with leases on {@link System#nanoTime()}.
 *
 * <p><b>Why no eviction race can let two holders in.</b> The map holds only live grants: a name is
 * held exactly when the map has a grant for it that has not expired. There is no per-name lock
 * object that could be looked up, evicted and re-created behind a holder's back (the classic
 * keyed-lock-map bug). Every change is one atomic {@link ConcurrentHashMap#compute} on the name, or a
 * {@link ConcurrentHashMap#remove(Object, Object)} of one exact grant instance, so an eviction can
 * never remove a grant it did not read.
 *
 * <p><b>Why fencing tokens survive eviction.</b> They come from one counter for the whole table,
 * so a name whose entry was evicted and re-created still gets a larger token than before.
 *
 * <p><b>Bounded memory.</b> Released grants are removed at once. Expired grants are removed when
 * their name is next touched, and by a sweep that a new grant starts when the table has doubled
 * since the last sweep, or when the last sweep is more than a second old (longer if sweeps are
 * slow, so sweeping never takes more than about 5% of one thread). The table therefore holds the
 * live grants plus those that expired since the last sweep: never more than twice its peak of live
 * grants, however many distinct names pass through it.
 *
 * <p><b>Wake-ups.</b> Waiters subscribe per name. A release wakes exactly one waiter, the oldest
 * not already woken; a waiter that leaves with a wake-up it has not consumed passes it on, so no
 * wake-up is swallowed. Waiters park with {@link LockSupport}, never inside {@code synchronized},
 * so virtual threads unmount while they wait. Expiry needs no signal: the failed attempt reports
 * the holder's remaining lease and the waiter sleeps no longer than that.
 */
public final class LocalLockTable implements LockBackend, ReleaseSignals {

    private static final int MIN_SWEEP_SIZE = 1024;
    private static final long MIN_SWEEP_INTERVAL_NANOS = 1_000_000_000L;

    private final ConcurrentHashMap<String, Grant> grants = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ArrayDeque<LocalSubscription>> waiters = new ConcurrentHashMap<>();
    private final AtomicLong fencing = new AtomicLong();
    private final AtomicInteger sweepAt = new AtomicInteger(MIN_SWEEP_SIZE);
    private volatile long nextTimedSweepNanos = System.nanoTime() + MIN_SWEEP_INTERVAL_NANOS;

    /** A grant: immutable, so {@code remove(name, grant)} removes exactly the grant that was read. */
    private record Grant(String owner, long fencingToken, long expiresAtNanos) {
        boolean expiredAt(long now) {
            return now - expiresAtNanos >= 0;
        }
    }

    @Override
    public AcquireResult tryAcquire(String name, String ownerToken, Duration leaseTime) {
        long leaseNanos = leaseTime.toNanos();
        Grant[] blocking = new Grant[1];
        Grant mine = grants.compute(name, (k, current) -> {
            long now = System.nanoTime();
            if (current != null && !current.expiredAt(now)) {
                blocking[0] = current;
                return current;
            }
            // Free, or its holder's lease ran out: the token is drawn inside the compute, so
            // grants of one name take tokens in the order they are granted.
            return new Grant(ownerToken, fencing.incrementAndGet(), now + leaseNanos);
        });
        if (blocking[0] != null) {
            long remaining = blocking[0].expiresAtNanos - System.nanoTime();
            return AcquireResult.held(name, Math.max(0, remaining / 1_000_000L));
        }
        maybeSweep();
        return AcquireResult.acquired(mine.fencingToken, null);
    }

    @Override
    public boolean release(String name, String ownerToken, Object handle) {
        boolean[] released = new boolean[1];
        boolean[] removed = new boolean[1];
        grants.computeIfPresent(name, (k, current) -> {
            if (!current.owner.equals(ownerToken)) {
                return current;
            }
            removed[0] = true;
            released[0] = !current.expiredAt(System.nanoTime());
            return null;
        });
        if (removed[0]) {
            signal(name);
        }
        return released[0];
    }

    @Override
    public boolean extend(String name, String ownerToken, Object handle, Duration leaseTime) {
        long leaseNanos = leaseTime.toNanos();
        boolean[] extended = new boolean[1];
        grants.computeIfPresent(name, (k, current) -> {
            if (!current.owner.equals(ownerToken)) {
                return current;
            }
            long now = System.nanoTime();
            if (current.expiredAt(now)) {
                // Gone on this backend's clock, as an expired Redis key would be: evict it.
                return null;
            }
            extended[0] = true;
            return new Grant(ownerToken, current.fencingToken, now + leaseNanos);
        });
        return extended[0];
    }

    @Override
    public ReleaseSignals releaseSignals() {
        return this;
    }

    @Override
    public Subscription subscribe(String name) {
        LocalSubscription s = new LocalSubscription(name);
        waiters.compute(name, (k, queue) -> {
            ArrayDeque<LocalSubscription> q = queue != null ? queue : new ArrayDeque<>(2);
            q.addLast(s);
            return q;
        });
        return s;
    }

    /** Grants currently in the table, live or expired-but-not-yet-swept. */
    public int size() {
        return grants.size();
    }

    /** Names with at least one subscribed waiter. */
    public int waitedNames() {
        return waiters.size();
    }

    /** Removes every expired grant now. */
    public void sweep() {
        long now = System.nanoTime();
        for (var e : grants.entrySet()) {
            Grant g = e.getValue();
            if (g.expiredAt(now)) {
                // Removes only this exact grant: a fresh grant of the same name stays.
                grants.remove(e.getKey(), g);
            }
        }
    }

    private void maybeSweep() {
        int threshold = sweepAt.get();
        int size = grants.size();
        boolean grown = size >= threshold;
        boolean due = size > 1 && System.nanoTime() - nextTimedSweepNanos >= 0;
        if (!(grown || due) || !sweepAt.compareAndSet(threshold, Integer.MAX_VALUE)) {
            return;
        }
        long started = System.nanoTime();
        try {
            sweep();
        } finally {
            long took = System.nanoTime() - started;
            nextTimedSweepNanos = System.nanoTime() + Math.max(MIN_SWEEP_INTERVAL_NANOS, 20 * took);
            sweepAt.set(Math.max(MIN_SWEEP_SIZE, grants.size() * 2));
        }
    }

    /** Wakes the oldest waiter of {@code name} not already woken. */
    private void signal(String name) {
        LocalSubscription[] woken = new LocalSubscription[1];
        waiters.computeIfPresent(name, (k, queue) -> {
            woken[0] = pickUnsignalled(queue);
            return queue;
        });
        if (woken[0] != null) {
            woken[0].unpark();
        }
    }

    private static LocalSubscription pickUnsignalled(ArrayDeque<LocalSubscription> queue) {
        for (Iterator<LocalSubscription> it = queue.iterator(); it.hasNext(); ) {
            LocalSubscription s = it.next();
            if (s.signalled.compareAndSet(false, true)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public void close() {
        // Nothing to free: the table is plain memory, and it may be shared by several providers.
    }

    @Override
    public String toString() {
        return "LocalLockTable[grants=" + grants.size() + "]";
    }

    /** One waiter's interest in one name. Used by its waiting thread only, apart from the signal. */
    private final class LocalSubscription implements Subscription {
        private final String name;
        private final AtomicBoolean signalled = new AtomicBoolean();
        private volatile Thread waiter;
        private boolean closed;

        LocalSubscription(String name) {
            this.name = name;
        }

        @Override
        public boolean await(long nanos) throws InterruptedException {
            long deadline = System.nanoTime() + nanos;
            waiter = Thread.currentThread();
            try {
                while (true) {
                    if (signalled.getAndSet(false)) {
                        return true;
                    }
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    LockSupport.parkNanos(this, left);
                }
            } finally {
                waiter = null;
            }
        }

        void unpark() {
            Thread t = waiter;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            LocalSubscription[] passedTo = new LocalSubscription[1];
            waiters.computeIfPresent(name, (k, queue) -> {
                queue.remove(this);
                if (signalled.get()) {
                    // Woken, but leaving without acting on it: hand the wake-up to the next waiter.
                    passedTo[0] = pickUnsignalled(queue);
                }
                return queue.isEmpty() ? null : queue;
            });
            if (passedTo[0] != null) {
                passedTo[0].unpark();
            }
        }
    }
}
