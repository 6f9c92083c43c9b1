package dev.latchkey.lock.jdbc.internal;

import dev.latchkey.lock.spi.ReleaseSignals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Release signals over PostgreSQL {@code LISTEN/NOTIFY}: a release statement notifies the
 * table's channel with the lock name as payload; one listener connection per provider (opened
 * when the first waiter subscribes, kept until the provider closes) hands each notification to
 * one local waiter of that name, so a release wakes one waiter per process instead of all.
 *
 * <p>Every listening process still hears every release, so with N processes waiting a release
 * sets off N attempts of which at most one wins; when the releaser takes the lock straight back
 * (short critical sections in a loop) all of them lose. Each process therefore counts, per name,
 * the wake-ups in a row whose attempt lost (the woken waiter waited again), and after k of them
 * delays acting on a release by a random time between 2^(k-1) and 2^k ms (k at most 3); releases
 * that arrive meanwhile fold into that one wake-up, so a process attempts at most about once per
 * delay however fast the lock changes hands. A wake-up that wins resets the count. The cost is at
 * most 8 ms of extra latency for a waiter of a busy lock; a release is never dropped, so a free
 * lock never waits for the poll cap.
 *
 * <p>The driver's notification API is reached reflectively, so the PostgreSQL driver stays the
 * application's dependency, not ours. If the listener connection fails, every waiter is woken
 * (they attempt again, and fall back to sleeping until the holder's lease runs out) and the
 * listener reconnects.
 */
final class PgNotifySignals implements ReleaseSignals {

    private static final Logger log = LoggerFactory.getLogger(PgNotifySignals.class);

    private final DataSource dataSource;
    private final String channel;
    /** The longest run of lost wake-ups that still doubles the delay before acting on a release. */
    private static final int MAX_LOST_STREAK = 3;

    private final ConcurrentHashMap<String, NameWaiters> waiters = new ConcurrentHashMap<>();
    private final ReentrantLock startLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread listener;
    private volatile Connection connection;

    PgNotifySignals(DataSource dataSource, String channel) {
        this.dataSource = dataSource;
        this.channel = channel;
    }

    /**
     * The channel of a (validated) table name: a plain lower-case identifier, cut to the 63 bytes
     * PostgreSQL allows (LISTEN would truncate it silently, pg_notify would refuse it).
     */
    static String channelFor(String table) {
        String channel = "latchkey_" + table.toLowerCase(Locale.ROOT).replace('.', '_');
        return channel.length() > 63 ? channel.substring(0, 63) : channel;
    }

    @Override
    public Subscription subscribe(String name) {
        ensureListening();
        Waiter[] w = new Waiter[1];
        waiters.compute(name, (k, q) -> {
            NameWaiters local = q == null ? new NameWaiters() : q;
            w[0] = new Waiter(name, local);
            local.queue.add(w[0]);
            return local;
        });
        return w[0];
    }

    private void ensureListening() {
        if (listener != null || closed.get()) {
            return;
        }
        startLock.lock();
        try {
            if (listener == null && !closed.get()) {
                Thread t = new Thread(this::listen, "latchkey-pg-listen-" + channel);
                t.setDaemon(true);
                listener = t;
                t.start();
            }
        } finally {
            startLock.unlock();
        }
    }

    private void listen() {
        while (!closed.get()) {
            try (Connection c = dataSource.getConnection()) {
                connection = c;
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + channel);
                }
                // Anything released while we were not listening: let every waiter look again.
                wakeAll();
                Class<?> pgConnection = Class.forName("org.postgresql.PGConnection");
                Object pg = c.unwrap(pgConnection);
                Method poll = pgConnection.getMethod("getNotifications", int.class);
                Method parameter = Class.forName("org.postgresql.PGNotification").getMethod("getParameter");
                while (!closed.get()) {
                    Object batch = poll.invoke(pg, 500);
                    int n = batch == null ? 0 : Array.getLength(batch);
                    for (int i = 0; i < n; i++) {
                        Object notification = Array.get(batch, i);
                        wakeOne((String) parameter.invoke(notification));
                    }
                }
            } catch (Exception e) {
                if (closed.get()) {
                    return;
                }
                log.debug("LISTEN connection on {} failed; waking waiters and reconnecting", channel, e);
                wakeAll();
                try {
                    TimeUnit.MILLISECONDS.sleep(500);
                } catch (InterruptedException ie) {
                    return;
                }
            } finally {
                connection = null;
            }
        }
    }

    private void wakeOne(String name) {
        NameWaiters q = waiters.get(name);
        if (q == null) {
            return;
        }
        wakeOne(q);
    }

    private static void wakeOne(NameWaiters q) {
        int lost = Math.min(q.lostStreak.get(), MAX_LOST_STREAK);
        long delay = 0;
        if (lost > 0) {
            long max = TimeUnit.MILLISECONDS.toNanos(1L << lost);
            delay = max / 2 + ThreadLocalRandom.current().nextLong(max / 2 + 1);
        }
        for (Waiter w : q.queue) {
            if (w.signal(delay)) {
                return;
            }
        }
    }

    private void wakeAll() {
        for (NameWaiters q : waiters.values()) {
            for (Waiter w : q.queue) {
                w.signal(0);
            }
        }
    }

    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Thread t = listener;
        if (t != null) {
            t.interrupt();
        }
        wakeAll();
    }

    /** This process's waiters of one name, and how many wake-ups in a row lost their attempt. */
    private static final class NameWaiters {
        final Queue<Waiter> queue = new ConcurrentLinkedQueue<>();
        final AtomicInteger lostStreak = new AtomicInteger();
    }

    /** One waiter's subscription; a signal is latched until the next await consumes it. */
    private final class Waiter implements Subscription {
        private final String name;
        private final NameWaiters local;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition signalled = lock.newCondition();
        private boolean pending;
        /** When a pending signal may be acted on ({@link System#nanoTime()}). */
        private long notBefore;
        private boolean done;
        /** The last await returned a signal: the attempt that followed is this wake-up's. */
        private boolean woken;

        Waiter(String name, NameWaiters local) {
            this.name = name;
            this.local = local;
        }

        /**
         * Latches a signal that {@link #await} acts on {@code delayNanos} from now. Returns false if
         * this waiter is closed or already had a signal pending (the earlier one stands, unless
         * this one is due sooner).
         */
        boolean signal(long delayNanos) {
            lock.lock();
            try {
                if (done) {
                    return false;
                }
                long due = System.nanoTime() + delayNanos;
                if (pending) {
                    if (due - notBefore < 0) {
                        notBefore = due;
                        signalled.signal();
                    }
                    return false;
                }
                pending = true;
                notBefore = due;
                signalled.signal();
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean await(long nanos) throws InterruptedException {
            lock.lock();
            try {
                if (woken) {
                    // Waiting again after a wake-up: the attempt it set off lost.
                    woken = false;
                    local.lostStreak.updateAndGet(n -> Math.min(n + 1, MAX_LOST_STREAK));
                }
                long deadline = System.nanoTime() + nanos;
                while (true) {
                    long now = System.nanoTime();
                    if (pending && now - notBefore >= 0 || deadline - now <= 0) {
                        break;
                    }
                    long until = pending && notBefore - deadline < 0 ? notBefore : deadline;
                    signalled.awaitNanos(until - now);
                }
                // A signal still delayed when the wait runs out counts: an attempt follows anyway.
                boolean got = pending;
                pending = false;
                woken = got;
                return got;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            boolean unconsumed;
            lock.lock();
            try {
                if (done) {
                    return;
                }
                done = true;
                unconsumed = pending;
                if (woken) {
                    // Done right after a wake-up: its attempt won (or the wait was abandoned).
                    local.lostStreak.set(0);
                }
            } finally {
                lock.unlock();
            }
            waiters.computeIfPresent(name, (k, q) -> {
                q.queue.remove(this);
                return q.queue.isEmpty() ? null : q;
            });
            if (unconsumed) {
                // This waiter was picked for a release it will not act on: pass it on.
                wakeOne(local);
            }
        }
    }
}
