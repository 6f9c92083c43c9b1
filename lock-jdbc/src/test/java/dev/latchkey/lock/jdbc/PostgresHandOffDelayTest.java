package dev.latchkey.lock.jdbc;

import dev.latchkey.lock.LockLease;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.latchkey.lock.jdbc.PgTesting.await;
import static dev.latchkey.lock.jdbc.PgTesting.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * LEASE mode's hand-off delay on PostgreSQL ({@code handOffAfter}), on the real server: a release
 * leaves the lock free while every queued waiter is younger than the delay (no grant, no
 * {@code NOTIFY}), wakes those waiters if its provider does not take the lock back, and hands the
 * lock to a waiter that has waited the delay. Whether a release granted the lock is read from the
 * grant notifications on the waiter's provider's own channel, up to a marker sent after the
 * release.
 */
class PostgresHandOffDelayTest {

    private static final String TABLE = "latchkey_handoff_delay_locks";
    private static final Duration WAIT = PgTesting.WAIT;

    private static final PgTesting.Fleet fleet = new PgTesting.Fleet(TABLE);
    private static final ExecutorService pool = fleet.pool;

    @AfterAll
    static void tearDown() {
        fleet.close();
    }

    private static JdbcLockProvider provider(DataSource ds, Duration handOffAfter) {
        return fleet.provider(ds, handOffAfter);
    }

    /** A lock held by one provider, and a waiter of another provider queued for it. */
    private record Contended(String name, JdbcLockProvider holder, LockLease held, Future<Optional<LockLease>> waiter,
                             String waiterChannel) {
    }

    /** Two providers with {@code handOffAfter}: one holds a new lock, the other's waiter is queued for it. */
    private static Contended contended(String prefix, Duration handOffAfter) {
        String name = prefix + UUID.randomUUID();
        JdbcLockProvider holder = provider(TestPools.pool("postgresql"), handOffAfter);
        JdbcLockProvider waiting = provider(TestPools.pool("postgresql"), handOffAfter);
        LockLease held = holder.lock(name).tryAcquire().orElseThrow();
        Future<Optional<LockLease>> waiter = pool.submit(() -> waiting.lock(name).tryAcquire(WAIT));
        await("the waiter's registration", () -> queued(name) == 1);
        return new Contended(name, holder, held, waiter, waiterChannel(name));
    }

    @Test
    void aReleaseWhileEveryWaiterIsYoungerThanTheDelay_leavesTheLockFreeForWhoeverAsksFirst() throws Exception {
        Contended c = contended("young:", Duration.ofMinutes(1));
        listening(c.waiterChannel(), listener -> {
            c.held().release();

            assertThat(grantsUntilMarker(listener, c.waiterChannel()))
                    .as("grants sent by a release that found only a waiter younger than the delay").isEmpty();
            LockLease taken = c.waiter().get(WAIT.toSeconds(), TimeUnit.SECONDS).orElseThrow();
            assertThat(taken.fencingToken()).isGreaterThan(c.held().fencingToken());
            taken.release();
        });
    }

    /**
     * The waiter here is a registration the test writes (young, of a session that is not there),
     * so nothing but the releasing provider can take the lock or wake anyone: the wake-up on the
     * table's channel can only come from the provider seeing its lock still free after the release.
     */
    @Test
    void aLockItsReleaserDoesNotTakeBack_wakesTheWaitersOfEveryProvider() throws Exception {
        String name = "idle:" + UUID.randomUUID();
        JdbcLockProvider holder = provider(TestPools.pool("postgresql"), Duration.ofMinutes(1));
        holder.lock(name).tryAcquire().orElseThrow().release(); // the row exists
        LockLease held = holder.lock(name).tryAcquire().orElseThrow();
        query("INSERT INTO " + TABLE + "_queue (lock_name, owner_token, ticket, expires_at, lease_ms, listener_pid,"
                + " queued_at) SELECT ?, 'young-waiter', txid_current(), now_ms + 600000, 30000, 2147483647, now_ms"
                + " FROM (SELECT CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT) AS now_ms) t RETURNING 1", name);
        listening("latchkey_" + TABLE, listener -> {
            held.release();

            PgTesting.notificationsUntil(listener, "r " + name);
            assertThat(holder.lock(name).tryAcquire()).as("the lock after the wake-up").isPresent();
        });
    }

    @Test
    void aWaiterQueuedForTheDelay_isHandedTheLockByTheNextRelease() throws Exception {
        Contended c = contended("due:", Duration.ofMillis(200));
        // Well past the delay: a waiter younger than the delay attempts again when it reaches it,
        // and an attempt racing the release would take the granted lock with a second token.
        await("the registration to be well past the delay", () -> queuedMillis(c.name()) >= 600);
        listening(c.waiterChannel(), listener -> {
            c.held().release();

            assertThat(grantsUntilMarker(listener, c.waiterChannel())).as("grants sent by the release")
                    .containsExactly("g " + (c.held().fencingToken() + 1));
            assertThat(c.holder().lock(c.name()).tryAcquire()).as("the releaser asking again at once").isEmpty();
            LockLease taken = c.waiter().get(WAIT.toSeconds(), TimeUnit.SECONDS).orElseThrow();
            assertThat(taken.fencingToken()).isEqualTo(c.held().fencingToken() + 1);
            taken.release();
        });
    }

    /** The own channel of the provider whose waiter is queued for {@code name}. */
    private static String waiterChannel(String name) {
        return "latchkey$p" + query("SELECT listener_pid FROM " + TABLE + "_queue WHERE lock_name = ?", name);
    }

    private static long queued(String name) {
        return query("SELECT COUNT(*) FROM " + TABLE + "_queue WHERE lock_name = ?", name);
    }

    /** How long the registration for {@code name} has been queued, on the database's clock. */
    private static long queuedMillis(String name) {
        return query("SELECT CAST(EXTRACT(EPOCH FROM statement_timestamp()) * 1000 AS BIGINT) - queued_at FROM "
                + TABLE + "_queue WHERE lock_name = ?", name);
    }

    /** What a test does while a connection LISTENs on a channel. */
    @FunctionalInterface
    private interface WhileListening {
        void run(Connection listener) throws Exception;
    }

    /**
     * Runs {@code body} with a connection LISTENing on {@code channel}; UNLISTENs before the
     * connection goes back to the pool.
     */
    private static void listening(String channel, WhileListening body) throws Exception {
        try (Connection c = TestPools.pool("postgresql").getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("LISTEN \"" + channel + "\"");
            }
            try {
                body.run(c);
            } finally {
                try (Statement st = c.createStatement()) {
                    st.execute("UNLISTEN *");
                }
            }
        }
    }

    /** The grant notifications ("g" and the fencing token) on {@code channel} up to a marker sent now. */
    private static List<String> grantsUntilMarker(Connection listener, String channel) throws Exception {
        List<String> grants = new ArrayList<>();
        for (String n : PgTesting.notificationsUntilMarker(listener, channel)) {
            String[] parts = n.split(" ");
            grants.add(parts[0] + " " + parts[1]);
        }
        return grants;
    }
}
