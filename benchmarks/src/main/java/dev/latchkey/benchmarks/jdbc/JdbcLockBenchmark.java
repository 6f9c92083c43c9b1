package dev.latchkey.benchmarks.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.jdbc.JdbcLockProvider;
import dev.latchkey.lock.jdbc.internal.DialectSql;
import dev.latchkey.lock.jdbc.spi.JdbcDialect;

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
import java.util.Map;
import java.util.UUID;

/**
 * LEASE mode on PostgreSQL: uncontended acquire+release per second next to the floor of the same
 * two raw statements on one plain connection; then 8 separate pools (as 8 processes would have)
 * contending for one name, for Latchkey and for its peers (ShedLock, Spring Integration's
 * {@code JdbcLockRegistry}, the plain conditional {@code UPDATE} polled), each for a bounded time.
 * About two minutes in all. Prints figures; asserts nothing.
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
 * contended runs; see {@link #idleProviders}),
 * {@code latchkey.bench.warmUpSeconds} (before any contended run is measured, every selected
 * contender runs contended this long, in the same order, unmeasured; default 4, 0 skips it: the
 * first contender to run otherwise pays for warming up the driver and the pool code every
 * contender shares, measured here at 15-20% of its rate).
 */
public final class JdbcLockBenchmark {

    private static final String TABLE = "latchkey_bench_locks";
    private static final int ROUNDS = 7;
    private static final Duration ROUND = Duration.ofSeconds(2);
    private static final Duration CPU_RUN = Duration.ofSeconds(3);
    private static final Duration CONTENDED = Duration.ofSeconds(Long.getLong("latchkey.bench.seconds", 5));
    private static final long HOLD_MICROS = Long.getLong("latchkey.bench.holdMicros", 0);
    private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("latchkey.bench.warmUpSeconds", 4));

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
        // One row per provider and per floor: takers of one row would leave each other its dead
        // row versions to step over and prune.
        String name = "bench:uncontended:" + UUID.randomUUID();
        String listeningName = "bench:uncontended-listening:" + UUID.randomUUID();
        String rawName = "bench:raw:" + UUID.randomUUID();
        String rawListeningName = "bench:raw-listening:" + UUID.randomUUID();
        String rawReportingName = "bench:raw-reporting:" + UUID.randomUUID();
        // The floors: the very statements each mode sends for an uncontended acquire+release, from
        // its own SQL resource, as plain JDBC on one connection.
        DialectSql sql = DialectSql.load(JdbcDialect.POSTGRESQL, TABLE);
        RawStatements quietRaw = new RawStatements(sql.statement("lease.acquire"), sql.statement("lease.release"));
        RawStatements listeningRaw = new RawStatements(sql.statement("lease.acquire"),
                sql.statement("lease.release.alone"));
        // For comparison: the attempt that also reads the holder's remaining lease, which a
        // provider sends at a name it saw contended lately.
        RawStatements reportingRaw = new RawStatements(sql.statement("lease.acquire.reporting"),
                sql.statement("lease.release"));
        double[] quiet = new double[ROUNDS];
        double[] notifying = new double[ROUNDS];
        double[] floor = new double[ROUNDS];
        double[] listeningFloor = new double[ROUNDS];
        double[] reporting = new double[ROUNDS];
        try (JdbcLockProvider plain = JdbcLockProvider.builder(pool).tableName(TABLE).listenForReleases(false).build();
             JdbcLockProvider listening = JdbcLockProvider.builder(pool).tableName(TABLE).build();
             Connection raw = DriverManager.getConnection(url)) {
            raw.setAutoCommit(true);
            try (PreparedStatement ps = raw.prepareStatement("INSERT INTO " + TABLE
                    + " (lock_name, owner_token, fencing_token, expires_at) VALUES (?, NULL, 0, 0)")) {
                for (String row : List.of(rawName, rawListeningName, rawReportingName)) {
                    ps.setString(1, row);
                    ps.executeUpdate();
                }
            }
            // Warm-up: JIT, statement caches, the rows' first insert.
            latchkey(plain.lock(name), Duration.ofSeconds(2));
            latchkey(listening.lock(listeningName), Duration.ofSeconds(2));
            quietRaw.pairs(raw, rawName, Duration.ofSeconds(2));
            listeningRaw.pairs(raw, rawListeningName, Duration.ofSeconds(2));
            reportingRaw.pairs(raw, rawReportingName, Duration.ofSeconds(2));
            for (int r = 0; r < ROUNDS; r++) {
                // Each mode right after its floor, the two in alternating order.
                if (r % 2 == 0) {
                    floor[r] = quietRaw.pairs(raw, rawName, ROUND);
                    quiet[r] = latchkey(plain.lock(name), ROUND);
                    listeningFloor[r] = listeningRaw.pairs(raw, rawListeningName, ROUND);
                    notifying[r] = latchkey(listening.lock(listeningName), ROUND);
                } else {
                    listeningFloor[r] = listeningRaw.pairs(raw, rawListeningName, ROUND);
                    notifying[r] = latchkey(listening.lock(listeningName), ROUND);
                    floor[r] = quietRaw.pairs(raw, rawName, ROUND);
                    quiet[r] = latchkey(plain.lock(name), ROUND);
                }
                reporting[r] = reportingRaw.pairs(raw, rawReportingName, ROUND);
            }
            // Client-side cost, which other processes' load does not change.
            System.out.println();
            System.out.println("Client cost per acquire+release (3 s each; JVM process CPU in 10 ms ticks, all threads' context switches):");
            long[] n = new long[1];
            ProcStats before = ProcStats.now();
            n[0] = Math.round(quietRaw.pairs(raw, rawName, CPU_RUN) * CPU_RUN.toSeconds());
            System.out.println("  floor                                      " + ProcStats.perOp(before, n[0]));
            before = ProcStats.now();
            n[0] = Math.round(latchkey(plain.lock(name), CPU_RUN) * CPU_RUN.toSeconds());
            System.out.println("  latchkey LEASE, listenForReleases(false)   " + ProcStats.perOp(before, n[0]));
            before = ProcStats.now();
            n[0] = Math.round(latchkey(listening.lock(listeningName), CPU_RUN) * CPU_RUN.toSeconds());
            System.out.println("  latchkey LEASE, default                    " + ProcStats.perOp(before, n[0]));
        }
        System.out.println();
        System.out.println("Uncontended acquire+release, one thread, " + ROUNDS + " interleaved rounds of " + ROUND.toSeconds()
                + " s (median; a ratio is the median of each round's ratio to that round's floor):");
        System.out.printf(Locale.ROOT, "  floor: lease.acquire + lease.release (conditional UPDATE...RETURNING + UPDATE)  %8.0f pairs/s  %s%n",
                median(floor), Arrays.toString(round(floor)));
        System.out.printf(Locale.ROOT, "  floor: lease.acquire + lease.release.alone (the release checks the queue)      %8.0f pairs/s  %s%n",
                median(listeningFloor), Arrays.toString(round(listeningFloor)));
        System.out.printf(Locale.ROOT, "  for comparison: lease.acquire.reporting + lease.release (the attempt also reads the lease)  %8.0f pairs/s"
                + "  (%.2fx the first floor)  %s%n", median(reporting), median(ratios(reporting, floor)),
                Arrays.toString(round(reporting)));
        System.out.printf(Locale.ROOT, "  latchkey LEASE, listenForReleases(false)   %8.0f /s  (%.2fx floor)  %s%n",
                median(quiet), median(ratios(quiet, floor)), Arrays.toString(round(quiet)));
        System.out.printf(Locale.ROOT, "  latchkey LEASE, default (hand-off queue)   %8.0f /s  (%.2fx its statements' floor, %.2fx the first"
                + " floor)  %s%n", median(notifying), median(ratios(notifying, listeningFloor)),
                median(ratios(notifying, floor)), Arrays.toString(round(notifying)));
    }

    private static double[] ratios(double[] measured, double[] floor) {
        double[] out = new double[measured.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = measured[i] / floor[i];
        }
        return out;
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

    /**
     * A mode's own two statements (from its SQL resource: the text LEASE mode sends) as plain JDBC
     * on one connection, prepared once: the floor, the same two statements raw. No pool, no lease,
     * no socket timeout.
     */
    private record RawStatements(DialectSql.Statement acquire, DialectSql.Statement release) {

        double pairs(Connection c, String name, Duration d) throws SQLException {
            String owner = UUID.randomUUID().toString().replace("-", "");
            // patience_ms: the default hand-off delay (the queue is empty here, so its value changes nothing).
            Map<String, Object> args = Map.of("name", name, "owner", owner, "lease_ms", 30_000L,
                    "patience_ms", 100L);
            try (PreparedStatement a = c.prepareStatement(acquire.sql());
                 PreparedStatement r = c.prepareStatement(release.sql())) {
                long end = System.nanoTime() + d.toNanos();
                long start = System.nanoTime();
                long n = 0;
                while (System.nanoTime() - end < 0) {
                    bind(a, acquire, args);
                    try (ResultSet rs = a.executeQuery()) {
                        if (!rs.next() || rs.getObject(1) == null) {
                            throw new IllegalStateException("raw " + acquire.key() + " did not take " + name);
                        }
                    }
                    bind(r, release, args);
                    if (freed(r, release) != 1) {
                        throw new IllegalStateException("raw " + release.key() + " did not free " + name);
                    }
                    n++;
                }
                return n * 1e9 / (System.nanoTime() - start);
            }
        }

        private static void bind(PreparedStatement ps, DialectSql.Statement s, Map<String, Object> args)
                throws SQLException {
            int i = 1;
            for (String p : s.params()) {
                Object v = args.get(p);
                if (v == null) {
                    throw new IllegalStateException("no value for :" + p + " in " + s.key());
                }
                ps.setObject(i++, v);
            }
        }

        /** The rows a release freed: its update count, or its rows when it returns some. */
        private static int freed(PreparedStatement r, DialectSql.Statement release) throws SQLException {
            if (!release.returnsRows()) {
                return r.executeUpdate();
            }
            int n = 0;
            try (ResultSet rs = r.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
            return n;
        }
    }

    private static void contended(String url) throws Exception {
        List<ContendedRun.Peer> peers = List.of(
                JdbcPeers.latchkey(TABLE, true, false),
                JdbcPeers.latchkey(TABLE, true, true),
                JdbcPeers.latchkey(TABLE, false, false),
                JdbcPeers.shedLock(),
                JdbcPeers.springIntegration(),
                JdbcPeers.rawPolling(TABLE));
        String filter = System.getProperty("latchkey.bench.peers", "");
        List<ContendedRun.Peer> selected = peers.stream().filter(p -> p.label().contains(filter)).toList();
        if (!WARM_UP.isZero()) {
            for (ContendedRun.Peer peer : selected) {
                ContendedRun.run(url, peer, WARM_UP, HOLD_MICROS);
            }
            System.out.println("warm-up: every contender ran " + WARM_UP.toSeconds() + " s contended before the measured runs");
        }
        List<ContendedRun.Result> results = new ArrayList<>();
        List<AutoCloseable> idle = idleProviders(url);
        try {
            for (ContendedRun.Peer peer : selected) {
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
