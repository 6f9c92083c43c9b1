package dev.latchkey.lock.jdbc.internal;

import dev.latchkey.lock.spi.AcquireResult;
import dev.latchkey.lock.spi.ReleaseSignals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Release signals over PostgreSQL {@code LISTEN/NOTIFY}, and the waiter side of the hand-off
 * queue. One listener connection per provider (opened when a waiter subscribes, given back to the
 * pool once no waiter has been left for the idle time, see {@link #stopIfIdle}) listens on the
 * table's channel; its backend pid identifies this provider's waiters in the queue table, so a
 * release only ever hands a lock to a process that still listens.
 *
 * <p>Two kinds of notification arrive (see {@code lease.release.handoff}):
 * <ul>
 * <li>{@code g <fencing token> <owner token> <name>}, on this provider's own channel
 *     ({@code latchkey$p<pid>}, which no table's channel can be): a release handed the lock to
 *     that owner. Only the waiter with that token wakes, and it holds the lock without another
 *     statement. This is the common case under contention, so a release wakes exactly one waiter
 *     in the fleet, in arrival order. A grant for a token no waiter here holds (its waiter gave up
 *     meanwhile) is released at once, so it passes to the next waiter, unless that token's waiter
 *     already took the lock by its own attempt.</li>
 * <li>{@code r <lock name>}: a release with nobody live queued, while registrations that are not
 *     live remain (expired, or made under a listener session that was replaced); a release that
 *     finds no registration at all sends nothing. One local waiter of that name per
 *     process wakes and attempts. When several processes keep losing those races (the releaser
 *     takes the lock straight back), each counts, per name, the wake-ups in a row whose attempt
 *     lost, and after k of them delays acting on such a release by a random time between
 *     2^(k-1) and 2^k ms (k at most 3); releases that arrive meanwhile fold into that one wake-up.
 *     Such a release is never dropped. A waiter whose registration commits while a release runs
 *     (neither sees the other) finds the lock free at its next poll.</li>
 * </ul>
 *
 * <p>The driver's notification API is reached reflectively, so the PostgreSQL driver stays the
 * application's dependency, not ours. If the listener connection fails, every waiter is woken
 * (they attempt again, and fall back to sleeping until the holder's lease runs out) and the
 * listener reconnects; waiters then register again under the new pid.
 */
final class PgNotifySignals implements ReleaseSignals {

    private static final Logger log = LoggerFactory.getLogger(PgNotifySignals.class);

    /**
     * The first key of the session advisory lock a listener session holds while it listens (the
     * second is its backend pid): {@code lease.release.handoff} hands a lock only to a registration
     * whose session still holds it. An arbitrary constant, below ten digits (no SQL text of ours
     * carries a number the size of an epoch time).
     */
    static final int LISTENING_LOCK = 718281828;

    /** How many owner tokens of waiters that ended holding the lock are remembered. */
    private static final int SETTLED_REMEMBERED = 4096;
    /** The longest run of lost wake-ups that still doubles the delay before acting on a release. */
    private static final int MAX_LOST_STREAK = 3;

    private final DataSource dataSource;
    private final String channel;

    private final ConcurrentHashMap<String, NameWaiters> waiters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Waiter> byOwner = new ConcurrentHashMap<>();
    /** Leaves the queue and hands on a lock granted meanwhile: (name, owner token). */
    private final BiConsumer<String, String> withdraw;
    /** Releases (and hands on) a lock granted to an owner token nobody here waits with. */
    private final BiConsumer<String, String> stray;
    /** The backend pid of the listening session, 0 while not listening. */
    private volatile int pid;
    /**
     * Owner tokens of recent waiters that ended holding the lock. A waiter's own attempt can
     * take a lock a release handed to it before the release's notification arrives; that late
     * notification must not be mistaken for a grant nobody waits for (which is passed on).
     */
    private final Map<String, Boolean> settled = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SETTLED_REMEMBERED;
        }
    });
    private final ReentrantLock startLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread listener;
    /** How long the listener stays on with no waiter here before it stops listening. */
    private final long idleNanos;
    /** Deletes the registrations made under a listener pid, on the given connection. */
    private final Forget forget;
    /** Whether a wait's first attempt already queues it (no hand-off delay). */
    private final boolean queueOnFirstAttempt;

    /** Takes registrations made under a listener session out of the queue. */
    @FunctionalInterface
    interface Forget {
        void registrationsOf(Connection connection, int listenerPid) throws java.sql.SQLException;
    }

    PgNotifySignals(DataSource dataSource, String channel, BiConsumer<String, String> withdraw,
                    BiConsumer<String, String> stray, Forget forget, Duration idle, boolean queueOnFirstAttempt) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.withdraw = withdraw;
        this.stray = stray;
        this.forget = forget;
        this.idleNanos = idle.toNanos();
        this.queueOnFirstAttempt = queueOnFirstAttempt;
    }

    /**
     * The channel of the provider whose listening session has this backend pid. The {@code $}
     * keeps it apart from every table's channel ({@link #channelFor}: table names are plain
     * identifiers, without {@code $}).
     */
    static String ownChannel(int pid) {
        return "latchkey$p" + pid;
    }

    /** The backend pid of the listening session, or 0 while not listening (waiters do not queue). */
    int listenerPid() {
        return pid;
    }

    /**
     * Once listening, a waiter queues with its very first attempt: one statement saved. Not with a
     * hand-off delay: there a queued waiter is not handed the lock at once, and an acquire whose
     * first attempt succeeds (a releaser taking its lock back) is cheaper without the queue.
     */
    @Override
    public boolean subscribeBeforeFirstAttempt() {
        return queueOnFirstAttempt && pid != 0;
    }

    /** The waiter of this owner token if it waits for {@code name}, else null. */
    Waiter waiter(String ownerToken, String name) {
        Waiter w = byOwner.get(ownerToken);
        return w != null && w.name.equals(name) ? w : null;
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
        return subscribe(name, null);
    }

    @Override
    public Subscription subscribe(String name, String ownerToken) {
        Waiter[] w = new Waiter[1];
        waiters.compute(name, (k, q) -> {
            NameWaiters local = q == null ? new NameWaiters() : q;
            w[0] = new Waiter(name, ownerToken, local);
            local.queue.add(w[0]);
            return local;
        });
        if (ownerToken != null) {
            byOwner.put(ownerToken, w[0]);
        }
        // After the waiter is in the map: a listener deciding to stop either sees it and stays, or
        // has already withdrawn its pid, and then this starts a new one (see stopIfIdle).
        ensureListening();
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
        boolean stopped = false;
        while (!closed.get() && !stopped) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                Class<?> pgConnection = Class.forName("org.postgresql.PGConnection");
                Object pg = c.unwrap(pgConnection);
                Method poll = pgConnection.getMethod("getNotifications", int.class);
                Method parameter = Class.forName("org.postgresql.PGNotification").getMethod("getParameter");
                PgNotificationLatency quicker = null;
                int backend;
                try {
                    try (Statement s = c.createStatement()) {
                        s.execute("LISTEN " + channel);
                        try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                            rs.next();
                            backend = rs.getInt(1);
                        }
                        // This provider's own channel: hand-offs and wake-ups addressed to its waiters.
                        s.execute("LISTEN " + ownChannel(backend));
                        // Marks the session as listening for releases (see LISTENING_LOCK); the
                        // session ending frees it.
                        s.execute("SELECT pg_advisory_lock(" + LISTENING_LOCK + ", " + backend + ")");
                        pid = backend;
                    }
                    // Anything released while we were not listening: let every waiter look again.
                    wakeAll();
                    quicker = PgNotificationLatency.apply(c);
                    int pollMillis = (int) Math.max(1, Math.min(500, TimeUnit.NANOSECONDS.toMillis(idleNanos)));
                    long idleSince = 0;
                    while (!closed.get()) {
                        dispatchAll(poll.invoke(pg, pollMillis), parameter);
                        if (!waiters.isEmpty()) {
                            idleSince = 0;
                        } else if (idleSince == 0) {
                            idleSince = System.nanoTime();
                        } else if (System.nanoTime() - idleSince >= idleNanos && stopIfIdle()) {
                            stopped = true;
                            stopListening(c, backend, pg, pgConnection, parameter);
                            break;
                        }
                    }
                } catch (Exception e) {
                    if (stopped) {
                        // Its registrations may still be there and its mark still held: end the
                        // session rather than give the pool a connection that passes for a listener.
                        endSession(c, (Connection) pg);
                    }
                    throw e;
                } finally {
                    if (!stopped) {
                        // Closing, or the connection failed. On the driver's connection, so that a
                        // pool already shutting down does not report the connection it closed.
                        unlistenQuietly(c, (Connection) pg);
                    }
                    if (quicker != null) {
                        quicker.restore(); // before the connection goes back to the application's pool
                    }
                }
            } catch (Exception e) {
                if (closed.get() || stopped) {
                    if (stopped) {
                        log.debug("stopping to LISTEN on {} failed; its session was ended", channel, e);
                    }
                    return;
                }
                log.debug("LISTEN connection on {} failed; waking waiters and reconnecting", channel, e);
                pid = 0;
                wakeAll();
                try {
                    TimeUnit.MILLISECONDS.sleep(500);
                } catch (InterruptedException ie) {
                    return;
                }
            } finally {
                if (!stopped) {
                    pid = 0;
                }
            }
        }
    }

    /**
     * The connection goes back to the application's pool: a session left listening would collect
     * notifications nobody reads, and PostgreSQL would go on signalling it for each NOTIFY (and it
     * would still pass for a listener of this provider).
     */
    private void unlistenQuietly(Connection pooled, Connection driver) {
        try {
            if (driver.isClosed()) {
                return; // the session is over already (the pool shutting down, or a broken connection)
            }
        } catch (SQLException e) {
            return;
        }
        try (Statement s = driver.createStatement()) {
            s.execute("SELECT pg_advisory_unlock(" + LISTENING_LOCK + ", pg_backend_pid())");
            s.execute("UNLISTEN *");
        } catch (Exception e) {
            log.debug("UNLISTEN on the connection of {} failed; ending its session", channel, e);
            endSession(pooled, driver);
        }
    }

    /**
     * Closes the driver's connection under the pool's, which ends the database session (and with it
     * LISTEN and the listening mark), then lets the pool see it broken so that it is not lent again.
     */
    private static void endSession(Connection pooled, Connection driver) {
        try {
            driver.close();
        } catch (Exception e) {
            log.debug("closing a listener connection failed", e);
        }
        try (Statement s = pooled.createStatement()) {
            s.execute("SELECT 1");
        } catch (Exception expected) {
            // The pool has now seen the connection fail and discards it.
        }
    }

    private void dispatchAll(Object batch, Method parameter) throws ReflectiveOperationException {
        int n = batch == null ? 0 : Array.getLength(batch);
        for (int i = 0; i < n; i++) {
            dispatch((String) parameter.invoke(Array.get(batch, i)));
        }
    }

    /**
     * With no waiter here for the idle time, the listener stops: PostgreSQL signals every
     * LISTENing session of the database for each NOTIFY, so an idle provider's session would tax
     * every hand-off in the fleet. Decided under the start lock with the pid withdrawn first, so
     * a waiter that subscribes meanwhile either keeps this listener (it is seen here) or reads pid
     * 0, attempts without queueing and starts a new listener, which wakes it once listening.
     */
    private boolean stopIfIdle() {
        startLock.lock();
        try {
            int was = pid;
            pid = 0;
            if (!waiters.isEmpty() || closed.get()) {
                pid = was;
                return false;
            }
            listener = null;
            return true;
        } finally {
            startLock.unlock();
        }
    }

    /**
     * Takes this session's registrations out of the queue (normally there are none: waiters that
     * give up withdraw theirs), then passes on any grant a release made to them before that, and
     * only then stops listening. The notification of a release that committed before the delete
     * reaches this session before the delete's reply, so none is missed.
     */
    private void stopListening(Connection c, int backend, Object pg, Class<?> pgConnection, Method parameter)
            throws Exception {
        forget.registrationsOf(c, backend);
        dispatchAll(pgConnection.getMethod("getNotifications").invoke(pg), parameter);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_unlock(" + LISTENING_LOCK + ", " + backend + ")");
            s.execute("UNLISTEN *");
        }
        log.debug("no waiter on {} for a while: stopped listening", channel);
    }

    /**
     * {@code g <fencing token> <owner> <name>}: a grant to one waiter of this provider;
     * {@code r <name>}: a release with nobody queued.
     */
    private void dispatch(String payload) {
        if (payload.startsWith("g ")) {
            int space = payload.indexOf(' ', 2);
            int nameAt = space < 0 ? -1 : payload.indexOf(' ', space + 1);
            if (nameAt < 0) {
                log.debug("ignoring a malformed notification on {}: {}", channel, payload);
                return;
            }
            String owner = payload.substring(space + 1, nameAt);
            Waiter w = byOwner.get(owner);
            if (w != null) {
                try {
                    w.granted(Long.parseLong(payload.substring(2, space)));
                } catch (NumberFormatException e) {
                    log.debug("ignoring a malformed notification on {}: {}", channel, payload);
                }
            } else if (!settled.containsKey(owner)) {
                // Addressed to this provider, but its waiter left without the lock: normally its
                // withdrawal hands the lock on; releasing here as well covers a registration that
                // outlived its waiter (a second release of the same token does nothing).
                stray.accept(payload.substring(nameAt + 1), owner);
            }
        } else if (payload.startsWith("r ")) {
            wakeOne(payload.substring(2));
        } else {
            log.debug("ignoring an unknown notification on {}: {}", channel, payload);
        }
    }

    private void wakeOne(String name) {
        NameWaiters q = waiters.get(name);
        if (q == null) {
            return;
        }
        wakeOne(q);
    }

    /** No delay, or after k lost wake-ups in a row a random one between 2^(k-1) and 2^k ms. */
    private static long lostStreakDelay(NameWaiters q) {
        int lost = Math.min(q.lostStreak.get(), MAX_LOST_STREAK);
        if (lost == 0) {
            return 0;
        }
        long max = TimeUnit.MILLISECONDS.toNanos(1L << lost);
        return max / 2 + ThreadLocalRandom.current().nextLong(max / 2 + 1);
    }

    private static void wakeOne(NameWaiters q) {
        long delay = lostStreakDelay(q);
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
    final class Waiter implements Subscription {
        private final String name;
        private final String ownerToken;
        private final NameWaiters local;
        /** The fencing token of a grant published to this waiter, 0 for none. */
        private final AtomicLong grantedFence = new AtomicLong();
        /** Grants above this were made after this waiter's latest attempt. */
        private volatile long grantFloor = Long.MAX_VALUE;
        /** The latest attempt left this waiter queued: giving up must withdraw it. */
        private volatile boolean queued;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition signalled = lock.newCondition();
        private boolean pending;
        /** When a pending signal may be acted on ({@link System#nanoTime()}). */
        private long notBefore;
        private boolean done;
        /** The last await returned a signal: the attempt that followed is this wake-up's. */
        private boolean woken;

        Waiter(String name, String ownerToken, NameWaiters local) {
            this.name = name;
            this.ownerToken = ownerToken;
            this.local = local;
        }

        /** Records the outcome of an attempt that queued this waiter (or took the lock). */
        void attempted(boolean stillQueued, Long fencingFloor) {
            queued = stillQueued;
            if (stillQueued && fencingFloor != null) {
                grantFloor = fencingFloor;
            }
        }

        void granted(long fencingToken) {
            grantedFence.set(fencingToken);
            signal(0);
        }

        /**
         * A grant counts only when it was made after the latest attempt (its fencing token is above
         * the token that attempt saw): then that attempt's send time is a safe start for the lease.
         * An older one is ignored; the next attempt finds the lock handed to this owner and takes it.
         */
        @Override
        public AcquireResult handedOver() {
            long fence = grantedFence.getAndSet(0);
            if (fence == 0 || fence <= grantFloor) {
                return null;
            }
            queued = false; // the release took the registration off the queue
            return AcquireResult.acquired(fence, null);
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
            if (ownerToken != null) {
                if (queued) {
                    byOwner.remove(ownerToken, this);
                    // Gave up while queued: leave the line, and hand on a lock granted meanwhile.
                    withdraw.accept(name, ownerToken);
                } else {
                    // Ended holding the lock (or never queued): a grant's notification that is
                    // still on its way is already used.
                    settled.put(ownerToken, Boolean.TRUE);
                    byOwner.remove(ownerToken, this);
                }
            }
            if (unconsumed) {
                // This waiter was picked for a release it will not act on: pass it on.
                wakeOne(local);
            }
        }
    }
}
