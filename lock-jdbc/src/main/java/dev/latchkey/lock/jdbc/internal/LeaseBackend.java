package dev.latchkey.lock.jdbc.internal;

import dev.latchkey.lock.jdbc.spi.JdbcDialect;
import dev.latchkey.lock.jdbc.spi.JdbcFailures;
import dev.latchkey.lock.spi.AcquireResult;
import dev.latchkey.lock.spi.LateWakes;
import dev.latchkey.lock.spi.LockBackend;
import dev.latchkey.lock.spi.NameDeadlines;
import dev.latchkey.lock.spi.ReleaseSignals;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * LEASE mode: a lock is a row whose owner token and expiry say who holds it until when, on the
 * database's clock. Every operation borrows a connection in autocommit for one statement in the
 * common case and gives it back; nothing is held between calls.
 *
 * <p>Acquire is a conditional {@code UPDATE} that takes the row only if it is free or expired and
 * advances the fencing token in the same statement; a failed one writes nothing (unlike a failed
 * upsert, which locks the row and writes WAL). Only a lock's first acquisition inserts the row.
 * The JVM's clock never reaches SQL: lease times are bound as durations and added to the
 * database's own {@code now}.
 *
 * <p>On PostgreSQL the query timeout is enforced as the connection's network (socket read)
 * timeout for the duration of the borrow, not with {@code setQueryTimeout}: the driver arms a
 * {@code java.util.Timer} task per statement for the latter, which wakes its timer thread each
 * time and, measured here, doubled the context switches of an acquire+release. A statement that
 * outlives the timeout then fails with an I/O error and the driver closes the connection (the
 * pool replaces it) instead of cancelling the statement; either way the operation fails with
 * {@code LockBackendException}. Other drivers keep {@code setQueryTimeout} (MariaDB's runs on the
 * server; H2 has no network timeout).
 */
public final class LeaseBackend implements LockBackend {

    private static final Logger log = LoggerFactory.getLogger(LeaseBackend.class);
    /** The network timeout is applied on the calling thread; no executor is involved. */
    private static final Executor DIRECT = Runnable::run;
    /**
     * How long a lock counts as contended after this provider last found it held or saw a waiter
     * on it: its attempts read the holder's lease in the same statement, and (without a hand-off
     * delay) its releases hand on at once.
     */
    private static final long CONTENDED_NANOS = TimeUnit.SECONDS.toNanos(2);
    /**
     * How long after a release that left younger waiters queued the lock may stay free before
     * they are woken ({@link LateWakes}): well above the time a releaser takes to ask again.
     */
    private static final long LATE_WAKE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final DataSource dataSource;
    private final DialectSql sql;
    private final SqlRunner run;
    private final String channel;
    private final PgNotifySignals signals;
    private final DialectSql.Statement acquire;
    /**
     * PostgreSQL: {@link #acquire} that also reads the holder's remaining lease in the same
     * statement, for attempts at a name this provider found held lately (where the read usually
     * serves; on a free name it costs more than it saves); null on other databases.
     */
    private final DialectSql.Statement acquireReporting;
    /** A waiter's attempt that also queues it (PostgreSQL with release signals), else null. */
    private final DialectSql.Statement acquireQueued;
    private final DialectSql.Statement withdraw;
    /** How long a waiter's registration lives unless its next attempt renews it. */
    private final long registrationTtlMillis;
    /**
     * How long a waiter must have been queued before a release hands it the lock; until then
     * releases free the lock for whoever asks first (0: every release hands on, first come first
     * served).
     */
    private final long handOffAfterMillis;
    /** With a hand-off delay: wakes the waiters of a lock its releaser did not take back. */
    private final LateWakes lateWakes;
    /**
     * With a hand-off delay: lock names whose queued waiters are all younger than the delay, until
     * the oldest reaches it; their releases need not look at the queue.
     */
    private final NameDeadlines noHandOffDue = new NameDeadlines();
    /** The release that frees the row without looking at the queue. */
    private final DialectSql.Statement releasePlain;

    private final DialectSql.Statement remaining;
    private final DialectSql.Statement insert;
    private final DialectSql.Statement release;
    /**
     * With the hand-off queue: the release for a lock nobody has been queued for (for the hand-off
     * delay), tried first unless the delay is 0 and this provider saw the lock contended lately
     * (then the hand-off release runs at once).
     */
    private final DialectSql.Statement releaseAlone;
    /** Lock names this provider saw contended lately (for {@link #CONTENDED_NANOS}). */
    private final NameDeadlines contended = new NameDeadlines();
    private final DialectSql.Statement extend;
    /** The socket timeout applied while a connection is borrowed, or 0 to use {@code setQueryTimeout}. */
    private final int networkTimeoutMillis;

    /**
     * @param pollMillis the provider's longest sleep between a waiter's attempts: a waiter's
     *     registration in the hand-off queue lives three times that, so a live waiter renews it
     *     in time and one that vanished leaves the line soon
     * @param listenerIdle how long the hand-off listener stays on with no waiter in this provider
     * @param handOffAfter how long a waiter must have been queued before a release hands it the lock
     */
    public LeaseBackend(DataSource dataSource, DialectSql sql, int queryTimeoutSeconds, String table,
                        boolean releaseSignals, long pollMillis, Duration listenerIdle, Duration handOffAfter) {
        this.dataSource = dataSource;
        this.sql = sql;
        boolean socketTimeout = sql.dialect() == JdbcDialect.POSTGRESQL && queryTimeoutSeconds > 0;
        this.networkTimeoutMillis = socketTimeout ? (int) Math.min(Integer.MAX_VALUE, queryTimeoutSeconds * 1000L) : 0;
        this.run = new SqlRunner(socketTimeout ? 0 : queryTimeoutSeconds);
        this.acquire = sql.statement("lease.acquire");
        this.acquireReporting = sql.has("lease.acquire.reporting") ? sql.statement("lease.acquire.reporting") : null;
        this.remaining = sql.statement("lease.remaining");
        this.insert = sql.statement("lease.insert");
        boolean signalling = releaseSignals && sql.dialect() == JdbcDialect.POSTGRESQL;
        boolean handoff = signalling && sql.has("lease.release.handoff");
        this.release = sql.statement(handoff ? "lease.release.handoff" : "lease.release");
        this.releasePlain = sql.statement("lease.release");
        this.acquireQueued = handoff ? sql.statement("lease.acquire.queue") : null;
        this.releaseAlone = handoff && sql.has("lease.release.alone") ? sql.statement("lease.release.alone") : null;
        this.withdraw = handoff ? sql.statement("lease.withdraw") : null;
        this.registrationTtlMillis = 3 * pollMillis + 100;
        this.handOffAfterMillis = handoff ? handOffAfter.toMillis() : 0;
        this.extend = sql.statement("lease.extend");
        this.channel = PgNotifySignals.channelFor(table);
        DialectSql.Statement forget = handoff ? sql.statement("lease.forget") : null;
        this.signals = handoff ? new PgNotifySignals(dataSource, channel, this::withdraw, this::releaseStray,
                (c, pid) -> run.update(c, forget, Map.of("pid", pid)), listenerIdle, handOffAfterMillis == 0) : null;
        DialectSql.Statement wake = handOffAfterMillis > 0 ? sql.statement("lease.wake") : null;
        this.lateWakes = wake == null ? null : new LateWakes("latchkey-jdbc-late-wakes", LATE_WAKE_NANOS, name -> wake(wake, name));
    }

    @Override
    public AcquireResult tryAcquire(String name, String ownerToken, Duration leaseTime) {
        Map<String, Object> args = new HashMap<>(4);
        args.put("name", name);
        args.put("owner", ownerToken);
        args.put("lease_ms", leaseTime.toMillis());
        PgNotifySignals.Waiter waiter = signals == null ? null : signals.waiter(ownerToken, name);
        int pid = waiter == null ? 0 : signals.listenerPid();
        if (pid != 0) {
            args.put("ttl_ms", registrationTtlMillis);
            args.put("renew_ms", registrationTtlMillis / 2);
            args.put("pid", pid);
        }
        try (Borrowed b = connection()) {
            Connection c = b.connection;
            if (pid != 0) {
                return tryAcquireQueued(c, name, args, waiter);
            }
            // At most three rounds: a round only repeats when another client changed the row
            // between our statements (created it, or took and freed it).
            long lastRemaining = 0;
            for (int round = 0; round < 3; round++) {
                // A name not contended lately is mostly free: take it with the plain UPDATE, and
                // on failure read the remaining lease with a second statement. Once contended,
                // attempts learn it in the same statement.
                boolean reports = acquireReporting != null && (round > 0 || contended.holds(name));
                Long[] r = run.values(c, reports ? acquireReporting : acquire, args, reports ? 2 : 1);
                if (r[0] != null) {
                    retaken(name);
                    return AcquireResult.acquired(r[0], null);
                }
                Long left = reports ? r[1] : run.value(c, remaining, args);
                if (acquireReporting != null && left != null) {
                    contended.mark(name, CONTENDED_NANOS);
                }
                if (left == null) {
                    // No row yet: the lock's first acquisition.
                    if (insertFirst(c, args)) {
                        return AcquireResult.acquired(1, null);
                    }
                    continue;
                }
                if (left > 0) {
                    return AcquireResult.held(name, left);
                }
                if (reports) {
                    // The statement's snapshot showed the row free, yet its UPDATE did not take it.
                    // Both parts share one snapshot and one clock, so the UPDATE must have met a
                    // concurrent writer, waited for it, and re-checked the row's newest version
                    // (READ COMMITTED re-evaluates the WHERE on it): that version is held and
                    // unexpired. Another round would only learn the new holder's lease, at the
                    // price of a statement per waiter that lost the race; under contention that
                    // is every waiter woken by a release.
                    return AcquireResult.held(name, AcquireResult.UNKNOWN_REMAINING);
                }
                // The row looked free or expired, yet the UPDATE did not take it: another client
                // took it between the two statements. Read again.
                lastRemaining = left;
            }
            return AcquireResult.held(name, Math.max(0, lastRemaining));
        } catch (SQLException e) {
            throw JdbcFailures.backendFailure("acquire of lock '" + name + "'", e);
        }
    }

    /**
     * A waiter's attempt: takes the lock (also when a release handed it to this owner), or queues
     * the waiter in the same statement. Like the plain attempt, a lost race reports an unknown
     * remaining lease rather than spending another statement. A waiter queued for less than the
     * hand-off delay is told to attempt again when it reaches it (no release hands it the lock
     * before, and none tells it of a release unless the lock then stays free).
     */
    private AcquireResult tryAcquireQueued(Connection c, String name, Map<String, Object> args,
                                           PgNotifySignals.Waiter waiter) throws SQLException {
        for (int round = 0; round < 3; round++) {
            Long[] r = run.values(c, acquireQueued, args, 4);
            if (r[0] != null) {
                waiter.attempted(false, null);
                retaken(name);
                return AcquireResult.acquired(r[0], null);
            }
            if (r[1] == null) {
                // No row yet (nothing was queued): the lock's first acquisition.
                if (insertFirst(c, args)) {
                    waiter.attempted(false, null);
                    return AcquireResult.acquired(1, null);
                }
                continue;
            }
            waiter.attempted(true, r[2]);
            contended.mark(name, CONTENDED_NANOS);
            long left = r[1] > 0 ? r[1] : AcquireResult.UNKNOWN_REMAINING;
            long queuedFor = r[3] == null ? 0 : r[3];
            if (queuedFor < handOffAfterMillis) {
                long due = handOffAfterMillis - queuedFor;
                left = left > 0 ? Math.min(left, due) : due;
            }
            return AcquireResult.held(name, left);
        }
        return AcquireResult.held(name, AcquireResult.UNKNOWN_REMAINING);
    }

    /**
     * A queued waiter gives up: it leaves the queue first (from then on no release can pick it),
     * then releases, handing on, a lock a release may have handed it before that.
     */
    private void withdraw(String name, String ownerToken) {
        Map<String, Object> args = releaseArgs(name, ownerToken);
        try (Borrowed b = connection()) {
            run.update(b.connection, withdraw, args);
            run.update(b.connection, release, args);
        } catch (SQLException | RuntimeException e) {
            log.warn("withdrawing a waiter of lock '{}' failed; its registration expires by itself, and a lock"
                    + " handed to it meanwhile is free again when that lease runs out", name, e);
        }
    }

    /** A grant reached a provider none of whose waiters holds that token: pass the lock on. */
    private void releaseStray(String name, String ownerToken) {
        try {
            release(name, ownerToken, null);
        } catch (RuntimeException e) {
            log.warn("handing on lock '{}', granted to a waiter that had left, failed; it is free again when"
                    + " that lease runs out", name, e);
        }
    }

    private void retaken(String name) {
        if (lateWakes != null) {
            lateWakes.acquired(name);
        }
    }

    /** Wakes the waiters of a lock that is still free a moment after a release left them queued. */
    private void wake(DialectSql.Statement wake, String name) {
        Map<String, Object> args = new HashMap<>(4);
        args.put("name", name);
        args.put("channel", channel);
        try (Borrowed b = connection()) {
            run.update(b.connection, wake, args);
        } catch (SQLException | RuntimeException e) {
            log.warn("waking the waiters of lock '{}' failed; they attempt again when they have waited {} ms",
                    name, handOffAfterMillis, e);
        }
    }

    private boolean insertFirst(Connection c, Map<String, Object> args) throws SQLException {
        try {
            return run.update(c, insert, args) == 1;
        } catch (SQLException e) {
            if (sql.dialect().isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean release(String name, String ownerToken, Object handle) {
        try (Borrowed b = connection()) {
            Map<String, Object> args = releaseArgs(name, ownerToken);
            if (lateWakes != null && noHandOffDue.holds(name)) {
                // Every waiter queued for this lock is younger than the hand-off delay.
                if (run.update(b.connection, releasePlain, args) == 0) {
                    return false;
                }
                lateWakes.released(name);
                return true;
            }
            if (releaseAlone != null && (lateWakes != null || !contended.holds(name))) {
                Long[] r = run.values(b.connection, releaseAlone, args, 2);
                if (r[0] != null) {
                    if (r[1] != null && lateWakes != null) {
                        if (r[1] > 0) {
                            noHandOffDue.mark(name, TimeUnit.MILLISECONDS.toNanos(r[1]));
                        }
                        lateWakes.released(name);
                    }
                    return true;
                }
                // A registration that has waited the hand-off delay is there (or the lease is
                // gone): hand on; without a delay, do so at once for this lock's next releases.
                contended.mark(name, CONTENDED_NANOS);
            }
            return run.update(b.connection, release, args) > 0;
        } catch (SQLException e) {
            throw JdbcFailures.backendFailure("release of lock '" + name + "'", e);
        }
    }

    /** The parameters of the release statement (and of the withdrawal, which runs it too). */
    private Map<String, Object> releaseArgs(String name, String ownerToken) {
        Map<String, Object> args = new HashMap<>(4);
        args.put("name", name);
        args.put("owner", ownerToken);
        args.put("channel", channel);
        args.put("patience_ms", handOffAfterMillis);
        return args;
    }

    @Override
    public boolean extend(String name, String ownerToken, Object handle, Duration leaseTime) {
        Map<String, Object> args = new HashMap<>(4);
        args.put("name", name);
        args.put("owner", ownerToken);
        args.put("lease_ms", leaseTime.toMillis());
        try (Borrowed b = connection()) {
            return run.update(b.connection, extend, args) > 0;
        } catch (SQLException e) {
            throw JdbcFailures.backendFailure("extend of lock '" + name + "'", e);
        }
    }

    @Override
    public ReleaseSignals releaseSignals() {
        return signals == null ? ReleaseSignals.NONE : signals;
    }

    private Borrowed connection() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            // Each statement commits on its own; a pool may hand out connections left in a
            // transaction by their last user, which would hold our row locks until it ends.
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            int restore = -1;
            if (networkTimeoutMillis > 0) {
                int previous = c.getNetworkTimeout();
                if (previous == 0 || previous > networkTimeoutMillis) {
                    c.setNetworkTimeout(DIRECT, networkTimeoutMillis);
                    restore = previous;
                }
            }
            return new Borrowed(c, restore);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    /** A borrowed connection that gets its own network timeout back before it returns to the pool. */
    private static final class Borrowed implements AutoCloseable {
        final Connection connection;
        private final int restore;

        Borrowed(Connection connection, int restore) {
            this.connection = connection;
            this.restore = restore;
        }

        @Override
        public void close() throws SQLException {
            try {
                if (restore >= 0) {
                    connection.setNetworkTimeout(DIRECT, restore);
                }
            } catch (SQLException e) {
                // The statement's outcome stands; a connection that cannot take its timeout back
                // is broken, and the pool finds out when it next validates it.
                log.debug("could not restore the network timeout of a pooled connection", e);
            } finally {
                connection.close();
            }
        }
    }

    @Override
    public void close() {
        if (lateWakes != null) {
            lateWakes.close();
        }
        if (signals != null) {
            signals.close();
        }
    }

    @Override
    public String toString() {
        return "JDBC LEASE backend (" + sql.dialect().displayName() + ")";
    }
}
