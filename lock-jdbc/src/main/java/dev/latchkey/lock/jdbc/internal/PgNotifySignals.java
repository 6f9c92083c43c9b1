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
 * acts on a release only with probability 2^-k (k at most 3); a wake-up that wins resets the
 * count. Skipped releases cost a waiter nothing but latency: it still attempts when the holder's
 * lease runs out or at the provider's poll cap. Where wake-ups win (longer holds) nothing changes.
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
    /** The longest run of lost wake-ups that still halves the chance of acting on a release. */
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
        int lost = Math.min(q.lostStreak.get(), MAX_LOST_STREAK);
        if (lost > 0 && ThreadLocalRandom.current().nextInt(1 << lost) != 0) {
            return;
        }
        wakeOne(q);
    }

    private static void wakeOne(NameWaiters q) {
        for (Waiter w : q.queue) {
            if (w.signal()) {
                return;
            }
        }
    }

    private void wakeAll() {
        for (NameWaiters q : waiters.values()) {
            for (Waiter w : q.queue) {
                w.signal();
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
        private boolean done;
        /** The last await returned a signal: the attempt that followed is this wake-up's. */
        private boolean woken;

        Waiter(String name, NameWaiters local) {
            this.name = name;
            this.local = local;
        }

        /** Returns false if this waiter already had a signal pending or is closed. */
        boolean signal() {
            lock.lock();
            try {
                if (pending || done) {
                    return false;
                }
                pending = true;
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
                long left = nanos;
                while (!pending && left > 0) {
                    left = signalled.awaitNanos(left);
                }
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
