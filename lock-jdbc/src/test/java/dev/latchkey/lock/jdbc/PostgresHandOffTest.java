package dev.latchkey.lock.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.lock.LockLease;
import dev.latchkey.testkit.db.Databases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.latchkey.lock.jdbc.PgTesting.await;
import static dev.latchkey.lock.jdbc.PgTesting.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * LEASE mode's hand-off queue on PostgreSQL, on the real server: a release hands the lock to the
 * oldest waiter of another provider (each provider here stands for a process: its own listener
 * session), in arrival order, without the waiter spending another statement; registrations of
 * processes that are gone, of waiters that gave up, and grants that reach a provider after its
 * waiter left never keep the lock from the next live waiter. The providers here hand on every
 * release ({@code handOffAfter(Duration.ZERO)}); {@link PostgresHandOffDelayTest} covers the delay.
 */
class PostgresHandOffTest {

    private static final String TABLE = "latchkey_handoff_locks";
    private static final Duration WAIT = PgTesting.WAIT;

    private static final PgTesting.Fleet fleet = new PgTesting.Fleet(TABLE);
    private static final ExecutorService pool = fleet.pool;

    @AfterAll
    static void tearDown() {
        fleet.close();
    }

    private static JdbcLockProvider provider(DataSource ds) {
        return fleet.provider(ds, Duration.ZERO);
    }

    /** A provider whose listener session is up, so that its waiters queue with their first attempt. */
    private static JdbcLockProvider listening(DataSource ds) throws Exception {
        JdbcLockProvider p = provider(ds);
        int before = listenerSessions();
        String warm = "warm:" + UUID.randomUUID();
        JdbcLockProvider other = provider(TestPools.pool("postgresql"));
        try (LockLease held = other.lock(warm).tryAcquire().orElseThrow()) {
            // A short wait subscribes, which opens the provider's listener session.
            assertThat(p.lock(warm).tryAcquire(Duration.ofMillis(100))).isEmpty();
            await("the provider's listener session", () -> listenerSessions() > before);
            assertThat(held.isHeld()).isTrue();
        }
        return p;
    }

    @Test
    void releasesHandTheLockToWaitersInArrivalOrder_eachWithoutAnotherStatement() throws Exception {
        String name = "handoff:" + UUID.randomUUID();
        JdbcLockProvider holder = provider(TestPools.pool("postgresql"));
        int waiters = 3;
        List<List<String>> statements = new ArrayList<>();
        List<JdbcLockProvider> waiting = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            List<String> s = new CopyOnWriteArrayList<>();
            statements.add(s);
            waiting.add(listening(RecordingDataSource.wrap(TestPools.pool("postgresql"), new CopyOnWriteArrayList<>(), s)));
        }
        LockLease first = holder.lock(name).tryAcquire().orElseThrow();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<Long> tokens = new CopyOnWriteArrayList<>();
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            int index = i;
            statements.get(i).clear();
            done.add(pool.submit(() -> {
                LockLease lease = waiting.get(index).lock(name).acquire(WAIT);
                order.add(index);
                tokens.add(lease.fencingToken());
                lease.release();
                return null;
            }));
            // Queue them one after the other, so that arrival order is known.
            int queued = i + 1;
            await("waiter " + i + " queued", () -> queued(name) == queued);
        }
        first.release();
        for (Future<?> f : done) {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(order).as("acquisition order").containsExactly(0, 1, 2);
        assertThat(tokens).as("fencing tokens").containsExactly(first.fencingToken() + 1, first.fencingToken() + 2,
                first.fencingToken() + 3);
        for (int i = 0; i < waiters; i++) {
            assertThat(lockStatements(statements.get(i)))
                    .as("statements of waiter %d: the attempt that queued it and its release", i).hasSize(2);
        }
        assertThat(queued(name)).isZero();
    }

    /**
     * A release tries the one-table statement first while its provider has not seen the lock
     * contended: an uncontended acquire+release is two plain statements; with a waiter registered
     * it changes nothing and the hand-off release follows (the waiter gets the lock); after that
     * the provider hands that lock on at once.
     */
    @Test
    void aReleaseWithNobodyRegistered_isOnePlainStatement_andAWaiterStillGetsTheLock() throws Exception {
        String name = "alone:" + UUID.randomUUID();
        List<String> statements = new CopyOnWriteArrayList<>();
        JdbcLockProvider holder = listening(RecordingDataSource.wrap(TestPools.pool("postgresql"),
                new CopyOnWriteArrayList<>(), statements));
        JdbcLockProvider waiterSide = listening(TestPools.pool("postgresql"));

        holder.lock(name).tryAcquire().orElseThrow().release(); // the name's first acquisition inserts its row
        statements.clear();
        holder.lock(name).tryAcquire().orElseThrow().release();
        List<String> uncontended = lockStatements(statements);
        assertThat(uncontended).as("acquire, release").hasSize(2);
        assertThat(uncontended.get(1)).as("the release touches the queue only in a NOT EXISTS")
                .startsWith("UPDATE").contains("NOT EXISTS").doesNotContain("pg_notify");

        LockLease held = holder.lock(name).tryAcquire().orElseThrow();
        Future<LockLease> waiter = pool.submit(() -> waiterSide.lock(name).acquire(WAIT));
        await("the waiter queued", () -> queued(name) == 1);
        statements.clear();
        held.release();
        LockLease got = waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(got.fencingToken()).isGreaterThan(held.fencingToken());
        List<String> handedOn = lockStatements(statements);
        assertThat(handedOn).as("the plain release changed nothing, the hand-off release granted").hasSize(2);
        assertThat(handedOn.get(1)).contains("pg_notify");

        Future<LockLease> again = pool.submit(() -> holder.lock(name).acquire(WAIT));
        await("the holder queued", () -> queued(name) == 1);
        got.release();
        LockLease back = again.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        statements.clear();
        back.release();
        assertThat(lockStatements(statements)).as("a lock seen contended is handed on at once").hasSize(1)
                .allSatisfy(st -> assertThat(st).contains("pg_notify"));
    }

    /**
     * A registration commits without waiting for its WAL (see {@code lease.acquire.queue}), and the
     * queue statements plan without bitmap scans; those settings are their transactions' alone: the
     * pooled connection keeps the application's own.
     */
    @Test
    void aRegistrationsSettings_doNotLeakIntoThePooledConnection() throws Exception {
        String name = "lazy:" + UUID.randomUUID();
        try (HikariDataSource two = Databases.postgres().newDataSource(2)) {
            JdbcLockProvider waiterSide = listening(two); // its listener session holds one of the two
            JdbcLockProvider holder = provider(TestPools.pool("postgresql"));
            try (LockLease held = holder.lock(name).tryAcquire().orElseThrow()) {
                assertThat(waiterSide.lock(name).tryAcquire(Duration.ofMillis(300))).isEmpty();
                assertThat(query("SELECT count(*) FROM " + TABLE + "_queue WHERE lock_name = ?", name))
                        .as("the waiter registered (and withdrew when it gave up)").isZero();
                assertThat(held.isHeld()).isTrue();
            }
            try (Connection c = two.getConnection(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SHOW synchronous_commit")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("on");
                }
                try (ResultSet rs = st.executeQuery("SHOW enable_bitmapscan")) {
                    rs.next();
                    assertThat(rs.getString(1)).as("the queue statements' planner setting").isEqualTo("on");
                }
            }
            waiterSide.close();
        }
    }

    /**
     * PostgreSQL signals every LISTENing session of the database for each NOTIFY, so a provider
     * with no waiter left gives its listener connection back after the idle time; its next waiter
     * opens it again and is handed the lock as before.
     */
    @Test
    void anIdleProvider_givesItsListenerBack_andListensAgainForItsNextWaiter() throws Exception {
        String name = "idle:" + UUID.randomUUID();
        JdbcLockProvider holder = provider(TestPools.pool("postgresql"));
        try (HikariDataSource own = Databases.postgres().newDataSource(3);
             JdbcLockProvider waiting = ownProvider(own, Duration.ofMillis(300))) {
            try (LockLease held = holder.lock(name).tryAcquire().orElseThrow()) {
                waitOnce(waiting, held);
                assertThat(active(own)).as("the listener connection").isEqualTo(1);
            }
            await("the idle listener giving its connection back", () -> active(own) == 0);

            LockLease held = holder.lock(name).tryAcquire().orElseThrow();
            Future<Optional<LockLease>> next = pool.submit(() -> waiting.lock(name).tryAcquire(WAIT));
            await("the waiter listening and queued again", () -> active(own) == 1 && queued(name) == 1);
            held.release();
            LockLease handed = next.get(WAIT.toSeconds(), TimeUnit.SECONDS).orElseThrow();
            assertThat(holderOf(name)).isEqualTo(handed.ownerToken());
            handed.release();
        }
    }

    /**
     * A registration left under a listener session (normally a waiter that gives up withdraws its
     * own) must not outlive the listening: once the session stops listening, a release would hand
     * the lock to an owner that hears nothing, and the lock would sit until that lease ran out.
     * Registrations that expired long ago go too, whatever their lock.
     */
    @Test
    void aProviderThatStopsListening_takesItsLeftoverRegistrationsOut() throws Exception {
        String name = "leftover:" + UUID.randomUUID();
        JdbcLockProvider holder = provider(TestPools.pool("postgresql"));
        JdbcLockProvider other = provider(TestPools.pool("postgresql"));
        try (HikariDataSource own = Databases.postgres().newDataSource(3);
             JdbcLockProvider waiting = ownProvider(own, Duration.ofMillis(500))) {
            LockLease held = holder.lock(name).tryAcquire().orElseThrow();
            register(name, "left-behind", waitOnce(waiting, held));
            String forgotten = "forgotten:" + UUID.randomUUID();
            register(forgotten, "vanished-long-ago", Integer.MAX_VALUE);
            execute("UPDATE " + TABLE + "_queue SET expires_at = expires_at - 3600000 WHERE lock_name = ?", forgotten);
            await("the idle listener giving its connection back", () -> active(own) == 0);
            assertThat(queued(name)).as("registrations under the session that stopped listening").isZero();
            assertThat(queued(forgotten)).as("a registration that expired long ago, of a lock nobody releases").isZero();
            held.release();
            Optional<LockLease> free = other.lock(name).tryAcquire();
            assertThat(free).as("the release found nobody to hand the lock to").isPresent();
            free.get().release();
        }
    }

    /** The listener connection goes back to the application's pool no longer listening. */
    @Test
    void closingAProvider_givesItsListenerConnectionBackNotListening() throws Exception {
        String name = "close:" + UUID.randomUUID();
        try (HikariDataSource own = Databases.postgres().newDataSource(3)) {
            JdbcLockProvider waiting = ownProvider(own, Duration.ofSeconds(10));
            JdbcLockProvider holder = provider(TestPools.pool("postgresql"));
            int pid;
            try (LockLease held = holder.lock(name).tryAcquire().orElseThrow()) {
                pid = waitOnce(waiting, held);
            } finally {
                waiting.close();
            }
            await("the listener connection back in the pool", () -> active(own) == 0);
            assertThat(text("SELECT query FROM pg_stat_activity WHERE pid = CAST(? AS integer)", String.valueOf(pid)))
                    .isEqualTo("UNLISTEN *");
            assertThat(query("SELECT count(*) FROM (" + LISTENING + ") x WHERE x.pid = " + pid, LISTENING_KEY))
                    .as("the session's listening mark").isZero();
        }
    }

    private static int active(HikariDataSource ds) {
        return ds.getHikariPoolMXBean().getActiveConnections();
    }

    /** A provider on a pool of its own (whose connections the test counts), closed by the test. */
    private static JdbcLockProvider ownProvider(HikariDataSource own, Duration listenerIdle) {
        return JdbcLockProvider.builder(own).tableName(TABLE).createTableIfMissing(true)
                .handOffAfter(Duration.ZERO).listenerIdleTimeout(listenerIdle).build();
    }

    /**
     * A short wait of {@code waiting} for the lock {@code held} holds, which opens its listener
     * session; returns that session's backend pid.
     */
    private static int waitOnce(JdbcLockProvider waiting, LockLease held) throws InterruptedException {
        int before = listenerSessions();
        assertThat(waiting.lock(held.name()).tryAcquire(Duration.ofMillis(100))).isEmpty();
        await("the listener session", () -> listenerSessions() > before);
        assertThat(held.isHeld()).isTrue();
        return newestListenerPid();
    }

    /**
     * PostgreSQL signals every LISTENing session of the database for each NOTIFY, so a release
     * that nobody can be waiting for sends none; one that leaves registrations that are not live
     * behind still tells their providers. Notifications arrive in commit order, so a marker sent
     * after the release bounds what the release sent.
     */
    @Test
    void aReleaseNotifiesTheTablesChannel_onlyWhenRegistrationsRemain() throws Exception {
        String quiet = "quiet:" + UUID.randomUUID();
        String stale = "stale:" + UUID.randomUUID();
        JdbcLockProvider locks = listening(TestPools.pool("postgresql"));
        try (Connection listener = TestPools.pool("postgresql").getConnection()) {
            try (Statement st = listener.createStatement()) {
                st.execute("LISTEN latchkey_" + TABLE);
            }
            try {
                locks.lock(quiet).tryAcquire().orElseThrow().release();
                assertThat(notificationsUntilMarker(listener)).as("an uncontended release").isEmpty();

                locks.lock(stale).tryAcquire().orElseThrow().release(); // the row exists
                register(stale, "gone-waiter", Integer.MAX_VALUE); // no such backend: not live
                locks.lock(stale).tryAcquire().orElseThrow().release();
                assertThat(notificationsUntilMarker(listener)).containsExactly("r " + stale);
            } finally {
                try (Statement st = listener.createStatement()) {
                    st.execute("UNLISTEN *");
                }
            }
        }
    }

    private static List<String> notificationsUntilMarker(Connection listener) throws Exception {
        return PgTesting.notificationsUntilMarker(listener, "latchkey_" + TABLE);
    }

    @Test
    void aRegistrationWhoseListenerSessionIsGone_isSkipped() throws Exception {
        String name = "ghost:" + UUID.randomUUID();
        JdbcLockProvider holder = provider(TestPools.pool("postgresql"));
        JdbcLockProvider waiter = listening(TestPools.pool("postgresql"));
        // First in line, but its process is gone: no backend has this pid.
        long[] tokens = releaseBehindARegistration(holder, waiter, name, "ghost", Integer.MAX_VALUE);
        assertThat(tokens[1]).as("handed straight to the live waiter").isEqualTo(tokens[0] + 1);
    }

    /**
     * A live session that does not listen for hand-offs (say a pooled connection that a provider
     * gave back) does not count: only the listening mark does.
     */
    @Test
    void aRegistrationOfASessionThatIsAliveButNotListening_isSkipped() throws Exception {
        String name = "not-listening:" + UUID.randomUUID();
        JdbcLockProvider holder = provider(TestPools.pool("postgresql"));
        JdbcLockProvider waiter = listening(TestPools.pool("postgresql"));
        try (Connection idle = TestPools.pool("postgresql").getConnection();
             Statement st = idle.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            long[] tokens = releaseBehindARegistration(holder, waiter, name, "idle-session", rs.getInt(1));
            assertThat(tokens[1]).as("handed straight to the listening waiter").isEqualTo(tokens[0] + 1);
        }
    }

    @Test
    void aWaiterThatGivesUp_leavesTheQueue_andNothingIsHandedToIt() throws Exception {
        String name = "give-up:" + UUID.randomUUID();
        JdbcLockProvider holder = provider(TestPools.pool("postgresql"));
        JdbcLockProvider waiter = listening(TestPools.pool("postgresql"));
        LockLease held = holder.lock(name).tryAcquire().orElseThrow();
        Optional<LockLease> gaveUp = waiter.lock(name).tryAcquire(Duration.ofMillis(300));
        assertThat(gaveUp).isEmpty();
        assertThat(queued(name)).as("registrations left behind").isZero();
        held.release();
        Optional<LockLease> free = holder.lock(name).tryAcquire();
        assertThat(free).as("free at once after the release: nothing was handed to the waiter that left").isPresent();
        free.get().release();
    }

    @Test
    void aGrantThatReachesAProviderAfterItsWaiterLeft_isHandedOn() throws Exception {
        String name = "stray:" + UUID.randomUUID();
        JdbcLockProvider holder = provider(TestPools.pool("postgresql"));
        JdbcLockProvider left = listening(TestPools.pool("postgresql"));
        int pid = newestListenerPid();
        JdbcLockProvider next = listening(TestPools.pool("postgresql"));
        // A registration of the first provider whose waiter is no longer there (it stands for one
        // that gave up while its withdrawal failed): its listener session is alive, so the release
        // hands the lock to it, and that provider must pass it on.
        long[] tokens = releaseBehindARegistration(holder, next, name, "left", pid);
        assertThat(tokens[1]).as("after the stray grant, handed on").isEqualTo(tokens[0] + 2);
    }

    @Test
    void aGrantsNotificationThatArrivesAfterTheWaiterTookTheLockByItself_changesNothing() throws Exception {
        String name = "late:" + UUID.randomUUID();
        JdbcLockProvider holder = provider(TestPools.pool("postgresql"));
        JdbcLockProvider waiter = listening(TestPools.pool("postgresql"));
        int pid = newestListenerPid();
        holder.lock(name).tryAcquire().orElseThrow();
        CountDownLatch acquired = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Long> taken = pool.submit(() -> {
            try (LockLease lease = waiter.lock(name).acquire(WAIT)) {
                acquired.countDown();
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                return lease.fencingToken();
            }
        });
        await("the waiter queued", () -> queued(name) == 1);
        String owner = queuedOwner(name);
        // A hand-off whose notification is delayed: the row goes to the waiter, no NOTIFY yet. The
        // waiter's next poll finds the lock handed to it and takes it by itself.
        execute("UPDATE " + TABLE + " SET owner_token = ?, fencing_token = fencing_token + 1,"
                + " expires_at = CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT) + 60000 WHERE lock_name = ?", owner, name);
        execute("DELETE FROM " + TABLE + "_queue WHERE owner_token = ?", owner);
        assertThat(acquired.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the waiter took the lock").isTrue();
        // Now the late notification.
        execute("SELECT pg_notify(?, ?)", "latchkey$p" + pid, "g " + Long.MAX_VALUE + " " + owner + " " + name);
        Thread.sleep(300);
        assertThat(holderOf(name)).as("the waiter still holds the lock after the late notification").isEqualTo(owner);
        release.countDown();
        assertThat(taken.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isPositive();
    }

    // --- helpers -------------------------------------------------------------------------------

    /**
     * The holder takes the lock, a registration of {@code owner}-something with listener
     * {@code pid} is queued first, then a real waiter of {@code waiting}; the holder releases.
     * Returns the holder's fencing token and the token the waiter got.
     */
    private static long[] releaseBehindARegistration(JdbcLockProvider holder, JdbcLockProvider waiting, String name,
                                                     String owner, int pid) throws Exception {
        LockLease held = holder.lock(name).tryAcquire().orElseThrow();
        register(name, owner + "-" + UUID.randomUUID().toString().substring(0, 8), pid);
        Future<LockLease> next = pool.submit(() -> waiting.lock(name).acquire(WAIT));
        await("the live waiter queued", () -> queued(name) == 2);
        held.release();
        LockLease lease = next.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        lease.release();
        return new long[] {held.fencingToken(), lease.fencingToken()};
    }

    private static List<String> lockStatements(List<String> statements) {
        List<String> out = new ArrayList<>();
        for (String s : statements) {
            if (s.contains(TABLE)) {
                out.add(s);
            }
        }
        return out;
    }

    private static String queuedOwner(String name) {
        return text("SELECT owner_token FROM " + TABLE + "_queue WHERE lock_name = ?", name);
    }

    private static String holderOf(String name) {
        String owner = text("SELECT owner_token FROM " + TABLE + " WHERE lock_name = ?", name);
        return owner == null ? "" : owner;
    }

    private static String text(String sql, String arg) {
        try (Connection c = TestPools.pool("postgresql").getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(String sql, String... args) throws SQLException {
        try (Connection c = TestPools.pool("postgresql").getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            ps.execute();
        }
    }

    private static int queued(String name) {
        return (int) query("SELECT count(*) FROM " + TABLE + "_queue WHERE lock_name = ?", name);
    }

    /** The first key of the listening mark, as lease.release.handoff spells it. */
    private static final String LISTENING_KEY = "718281828";
    /** Sessions listening for hand-offs: they hold the listening mark (an advisory lock). */
    private static final String LISTENING = "SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted"
            + " AND l.classid = CAST(? AS oid) AND l.objsubid = 2";

    private static int listenerSessions() {
        return (int) query("SELECT count(*) FROM (" + LISTENING + ") x", LISTENING_KEY);
    }

    /** The backend pid of the listener session opened last (the provider warmed up last). */
    private static int newestListenerPid() {
        return (int) query("SELECT a.pid FROM pg_stat_activity a WHERE a.pid IN (" + LISTENING + ")"
                + " ORDER BY a.backend_start DESC, a.pid DESC LIMIT 1", LISTENING_KEY);
    }

    private static void register(String name, String owner, int pid) throws SQLException {
        try (Connection c = TestPools.pool("postgresql").getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + "_queue"
                     + " (lock_name, owner_token, ticket, expires_at, lease_ms, listener_pid, queued_at)"
                     + " VALUES (?, ?, txid_current(),"
                     + " CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT) + 600000, 30000, ?,"
                     + " CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT))")) {
            ps.setString(1, name);
            ps.setString(2, owner);
            ps.setInt(3, pid);
            ps.executeUpdate();
        }
    }
}
