package dev.latchkey.benchmarks.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.jdbc.JdbcLockProvider;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * LEASE mode on PostgreSQL: uncontended acquire+release per second next to the floor of the same
 * two raw statements on one plain connection; then 8 separate pools (as 8 processes would have)
 * contending for one name, for Latchkey and for its peers (ShedLock, Spring Integration's
 * {@code JdbcLockRegistry}, the plain conditional {@code UPDATE} polled), each for a bounded time.
 * About a minute and a half in all. Prints figures; asserts nothing.
 *
 * <pre>
 * ./mvnw -q -B -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=/tmp/bench-cp.txt
 * java -cp benchmarks/target/classes:$(cat /tmp/bench-cp.txt) dev.latchkey.benchmarks.jdbc.JdbcLockBenchmark \
 *     [jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres]
 * </pre>
 *
 * System properties: {@code latchkey.bench.seconds} (each contended run, default 5),
 * {@code latchkey.bench.holdMicros} (extra time spent in the critical section, default 0),
 * {@code latchkey.bench.only} ({@code uncontended} or {@code contended}; default both),
 * {@code latchkey.bench.peers} (run only contenders whose label contains this text),
 * {@code latchkey.bench.midRunSql} (a statement run once part-way through each contended run,
 * after {@code latchkey.bench.midRunAfterMillis}, default half the run; the rates before and after
 * it are printed apart: {@code "ANALYZE latchkey_bench_locks_queue"} shows what an autovacuum
 * ANALYZE of a busy hand-off queue does to the rate),
 * {@code latchkey.bench.idleProviders} (more providers that waited once and sit idle during the
 * contended runs; see {@link #idleProviders}).
 */
public final class JdbcLockBenchmark {

    private static final String TABLE = "latchkey_bench_locks";
    private static final int ROUNDS = 7;
    private static final Duration ROUND = Duration.ofSeconds(2);
    private static final Duration CPU_RUN = Duration.ofSeconds(3);
    private static final Duration CONTENDED = Duration.ofSeconds(Long.getLong("latchkey.bench.seconds", 5));
    private static final long HOLD_MICROS = Long.getLong("latchkey.bench.holdMicros", 0);

    private JdbcLockBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : System.getenv().getOrDefault("LATCHKEY_POSTGRES_URL",
                "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        System.out.println("JdbcLockBenchmark: LEASE mode on " + url.replaceAll("password=[^&]*", "password=***"));
        System.out.println("JVM " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs");
        try (HikariDataSource pool = pool(url, 2)) {
            JdbcLockProvider.builder(pool).tableName(TABLE).createTableIfMissing(true).build().close();
            String only = System.getProperty("latchkey.bench.only", "");
            if (!only.equals("contended")) {
                uncontended(url, pool);
            }
            if (!only.equals("uncontended")) {
                contended(url);
            }
        } finally {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + TABLE);
                s.execute("DROP TABLE IF EXISTS " + TABLE + "_queue");
                s.execute("DROP SEQUENCE IF EXISTS " + TABLE + "_fencing");
                s.execute("DROP TABLE IF EXISTS " + JdbcPeers.SHEDLOCK_TABLE);
                s.execute("DROP TABLE IF EXISTS " + JdbcPeers.SPRING_PREFIX + "LOCK");
            }
        }
    }

    private static void uncontended(String url, HikariDataSource pool) throws Exception {
        // One row per provider (and one for the floor): providers taking turns on one row would
        // leave each other its dead row versions to step over and prune.
        String name = "bench:uncontended:" + UUID.randomUUID();
        String listeningName = "bench:uncontended-listening:" + UUID.randomUUID();
        String rawName = "bench:raw:" + UUID.randomUUID();
        double[] quiet = new double[ROUNDS];
        double[] notifying = new double[ROUNDS];
        double[] floor = new double[ROUNDS];
        try (JdbcLockProvider plain = JdbcLockProvider.builder(pool).tableName(TABLE).listenForReleases(false).build();
             JdbcLockProvider listening = JdbcLockProvider.builder(pool).tableName(TABLE).build();
             Connection raw = DriverManager.getConnection(url)) {
            raw.setAutoCommit(true);
            try (PreparedStatement ps = raw.prepareStatement("INSERT INTO " + TABLE
                    + " (lock_name, owner_token, fencing_token, expires_at) VALUES (?, NULL, 0, 0)")) {
                ps.setString(1, rawName);
                ps.executeUpdate();
            }
            // Warm-up: JIT, statement caches, the rows' first insert.
            latchkey(plain.lock(name), Duration.ofSeconds(2));
            latchkey(listening.lock(listeningName), Duration.ofSeconds(2));
            rawPair(raw, rawName, Duration.ofSeconds(2));
            for (int r = 0; r < ROUNDS; r++) {
                // The floor first, then the two modes in alternating order, so neither always runs
                // furthest from the floor it is compared with.
                floor[r] = rawPair(raw, rawName, ROUND);
                if (r % 2 == 0) {
                    quiet[r] = latchkey(plain.lock(name), ROUND);
                    notifying[r] = latchkey(listening.lock(listeningName), ROUND);
                } else {
                    notifying[r] = latchkey(listening.lock(listeningName), ROUND);
                    quiet[r] = latchkey(plain.lock(name), ROUND);
                }
            }
            // Client-side cost, which other processes' load does not change.
            System.out.println();
            System.out.println("Client cost per acquire+release (3 s each; JVM process CPU in 10 ms ticks, all threads' context switches):");
            long[] n = new long[1];
            ProcStats before = ProcStats.now();
            n[0] = Math.round(rawPair(raw, rawName, CPU_RUN) * CPU_RUN.toSeconds());
            System.out.println("  floor                                      " + ProcStats.perOp(before, n[0]));
            before = ProcStats.now();
            n[0] = Math.round(latchkey(plain.lock(name), CPU_RUN) * CPU_RUN.toSeconds());
            System.out.println("  latchkey LEASE, listenForReleases(false)   " + ProcStats.perOp(before, n[0]));
            before = ProcStats.now();
            n[0] = Math.round(latchkey(listening.lock(listeningName), CPU_RUN) * CPU_RUN.toSeconds());
            System.out.println("  latchkey LEASE, default                    " + ProcStats.perOp(before, n[0]));
        }
        double f = median(floor);
        double[] quietRatio = new double[ROUNDS];
        double[] notifyingRatio = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            quietRatio[r] = quiet[r] / floor[r];
            notifyingRatio[r] = notifying[r] / floor[r];
        }
        System.out.println();
        System.out.println("Uncontended acquire+release, one thread, " + ROUNDS + " interleaved rounds of " + ROUND.toSeconds()
                + " s (median; ratio = median of each round's ratio to the floor measured just before it):");
        System.out.printf(Locale.ROOT, "  floor: raw UPDATE...RETURNING + UPDATE on one connection  %8.0f pairs/s  %s%n",
                f, Arrays.toString(round(floor)));
        System.out.printf(Locale.ROOT, "  latchkey LEASE, listenForReleases(false)                 %8.0f /s  (%.2fx floor)  %s%n",
                median(quiet), median(quietRatio), Arrays.toString(round(quiet)));
        System.out.printf(Locale.ROOT, "  latchkey LEASE, default (hand-off queue)                 %8.0f /s  (%.2fx floor)  %s%n",
                median(notifying), median(notifyingRatio), Arrays.toString(round(notifying)));
    }

    private static double latchkey(DistributedLock lock, Duration d) {
        long end = System.nanoTime() + d.toNanos();
        long start = System.nanoTime();
        long n = 0;
        while (System.nanoTime() - end < 0) {
            LockLease lease = lock.tryAcquire().orElseThrow(() -> new IllegalStateException("uncontended lock held"));
            lease.release();
            n++;
        }
        return n * 1e9 / (System.nanoTime() - start);
    }

    /** The same two statements LEASE mode sends, as plain JDBC on one connection: the floor. */
    private static double rawPair(Connection c, String name, Duration d) throws SQLException {
        String now = "CAST(EXTRACT(EPOCH FROM statement_timestamp()) * 1000 AS BIGINT)";
        try (PreparedStatement acquire = c.prepareStatement("UPDATE " + TABLE + " SET owner_token = ?,"
                + " fencing_token = fencing_token + 1, expires_at = " + now + " + ? WHERE lock_name = ?"
                + " AND (owner_token IS NULL OR expires_at <= " + now + ") RETURNING fencing_token");
             PreparedStatement release = c.prepareStatement("UPDATE " + TABLE + " SET owner_token = NULL"
                     + " WHERE lock_name = ? AND owner_token = ? AND expires_at > " + now)) {
            long end = System.nanoTime() + d.toNanos();
            long start = System.nanoTime();
            long n = 0;
            String owner = UUID.randomUUID().toString().replace("-", "");
            while (System.nanoTime() - end < 0) {
                acquire.setString(1, owner);
                acquire.setLong(2, 30_000);
                acquire.setString(3, name);
                try (ResultSet rs = acquire.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("raw acquire failed");
                    }
                }
                release.setString(1, name);
                release.setString(2, owner);
                release.executeUpdate();
                n++;
            }
            return n * 1e9 / (System.nanoTime() - start);
        }
    }

    private static void contended(String url) throws Exception {
        List<ContendedRun.Peer> peers = List.of(
                JdbcPeers.latchkey(TABLE, true),
                JdbcPeers.latchkey(TABLE, false),
                JdbcPeers.shedLock(),
                JdbcPeers.springIntegration(),
                JdbcPeers.rawPolling(TABLE));
        String filter = System.getProperty("latchkey.bench.peers", "");
        List<ContendedRun.Result> results = new ArrayList<>();
        List<AutoCloseable> idle = idleProviders(url);
        try {
            for (ContendedRun.Peer peer : peers) {
                if (!peer.label().contains(filter)) {
                    continue;
                }
                ContendedRun.Result r = ContendedRun.run(url, peer, CONTENDED, HOLD_MICROS);
                System.out.println(r.row());
                results.add(r);
            }
        } finally {
            for (AutoCloseable c : idle) {
                c.close();
            }
        }
        System.out.println();
        System.out.println("Contended: " + ContendedRun.PROVIDERS + " separate pools, one client and one thread each, one"
                + " name, " + CONTENDED.toSeconds() + " s per contender, critical section " + HOLD_MICROS
                + " us (plus a mutual-exclusion check); wait = acquire call to grant; trips = client round trips"
                + " (statements, commits, rollbacks, isolation changes) per acquisition:");
        results.forEach(r -> System.out.println(r.row()));
    }

    /**
     * {@code latchkey.bench.idleProviders} more providers (other processes of the fleet), each on
     * its own pool, that waited once and then sit idle for {@code latchkey.bench.idleSeconds}
     * (default 12) before the contended runs: with the default listener idle timeout (10 s) they
     * have stopped listening by then; {@code latchkey.bench.idleListenerTimeoutSeconds} sets theirs
     * (a long one keeps them listening, so every NOTIFY signals their sessions too).
     */
    private static List<AutoCloseable> idleProviders(String url) throws Exception {
        int n = Integer.getInteger("latchkey.bench.idleProviders", 0);
        List<AutoCloseable> out = new ArrayList<>();
        if (n == 0) {
            return out;
        }
        long timeout = Long.getLong("latchkey.bench.idleListenerTimeoutSeconds", 0);
        String name = "bench:idle:" + UUID.randomUUID();
        try (HikariDataSource holderPool = pool(url, 1);
             JdbcLockProvider holder = JdbcLockProvider.builder(holderPool).tableName(TABLE).build();
             LockLease held = holder.lock(name).tryAcquire().orElseThrow()) {
            for (int i = 0; i < n; i++) {
                HikariDataSource p = pool(url, 2);
                JdbcLockProvider.Builder b = JdbcLockProvider.builder(p).tableName(TABLE);
                if (timeout > 0) {
                    b.listenerIdleTimeout(Duration.ofSeconds(timeout));
                }
                JdbcLockProvider provider = b.build();
                out.add(p);
                out.add(0, provider);
                provider.lock(name).tryAcquire(Duration.ofMillis(50)); // waits once: starts its listener
            }
            if (!held.isHeld()) {
                throw new IllegalStateException("idle providers' warm-up lock was lost");
            }
        }
        long seconds = Long.getLong("latchkey.bench.idleSeconds", 12);
        System.out.println(n + " more providers waited once; idle for " + seconds + " s before the contended runs"
                + (timeout > 0 ? " (their listener idle timeout " + timeout + " s)" : ""));
        Thread.sleep(seconds * 1000);
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                     + " AND granted AND classid = 718281828 AND objsubid = 2")) {
            rs.next();
            System.out.println("sessions listening for hand-offs now: " + rs.getLong(1));
        }
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static long[] round(double[] v) {
        return Arrays.stream(v).mapToLong(Math::round).toArray();
    }

    private static HikariDataSource pool(String url, int size) {
        return ContendedRun.pool(url, size);
    }
}
