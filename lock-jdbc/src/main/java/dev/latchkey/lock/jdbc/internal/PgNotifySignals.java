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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Release signals over PostgreSQL {@code LISTEN/NOTIFY}: a release statement notifies the
 * table's channel with the lock name as payload; one listener connection per provider (opened
 * when the first waiter subscribes, kept until the provider closes) hands each notification to
 * one local waiter of that name, so a release wakes one waiter per process instead of all.
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
    private final ConcurrentHashMap<String, Queue<Waiter>> waiters = new ConcurrentHashMap<>();
    private final ReentrantLock startLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread listener;
    private volatile Connection connection;

    PgNotifySignals(DataSource dataSource, String channel) {
        this.dataSource = dataSource;
        this.channel = channel;
    }

    /** The channel of a (validated) table name: a plain lower-case identifier. */
    static String channelFor(String table) {
        return "latchkey_" + table.toLowerCase(Locale.ROOT).replace('.', '_');
    }

    @Override
    public Subscription subscribe(String name) {
        ensureListening();
        Waiter w = new Waiter(name);
        waiters.compute(name, (k, q) -> {
            Queue<Waiter> queue = q == null ? new ConcurrentLinkedQueue<>() : q;
            queue.add(w);
            return queue;
        });
        return w;
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
        Queue<Waiter> q = waiters.get(name);
        if (q == null) {
            return;
        }
        for (Waiter w : q) {
            if (w.signal()) {
                return;
            }
        }
    }

    private void wakeAll() {
        for (Queue<Waiter> q : waiters.values()) {
            for (Waiter w : q) {
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

    /** One waiter's subscription; a signal is latched until the next await consumes it. */
    private final class Waiter implements Subscription {
        private final String name;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition signalled = lock.newCondition();
        private boolean pending;
        private boolean done;

        Waiter(String name) {
            this.name = name;
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
                long left = nanos;
                while (!pending && left > 0) {
                    left = signalled.awaitNanos(left);
                }
                boolean got = pending;
                pending = false;
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
            } finally {
                lock.unlock();
            }
            waiters.computeIfPresent(name, (k, q) -> {
                q.remove(this);
                return q.isEmpty() ? null : q;
            });
            if (unconsumed) {
                // This waiter was picked for a release it will not act on: pass it on.
                wakeOne(name);
            }
        }
    }
}
