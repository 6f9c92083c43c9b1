package dev.latchkey.benchmarks.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.jdbc.JdbcLockMode;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * LEASE mode on PostgreSQL: uncontended acquire+release per second next to the floor of the same
 * two raw statements on one plain connection, and acquisitions per second with 8 separate
 * providers (8 pools, as 8 processes would have) contending for one name. Bounded: about a
 * minute. Prints figures; asserts nothing.
 *
 * <pre>
 * ./mvnw -q -B -pl benchmarks -am compile
 * M2=~/.m2/repository
 * java -cp benchmarks/target/classes:lock-jdbc/target/classes:lock-api/target/classes:\
 * $M2/org/postgresql/postgresql/42.7.8/postgresql-42.7.8.jar:$M2/com/zaxxer/HikariCP/6.3.3/HikariCP-6.3.3.jar:\
 * $M2/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar:$M2/org/slf4j/slf4j-simple/2.0.17/slf4j-simple-2.0.17.jar \
 *     dev.latchkey.benchmarks.jdbc.JdbcLockBenchmark [jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres]
 * </pre>
 */
public final class JdbcLockBenchmark {

    private static final String TABLE = "latchkey_bench_locks";
    private static final int ROUNDS = 7;
    private static final Duration ROUND = Duration.ofSeconds(2);
    private static final Duration CONTENDED = Duration.ofSeconds(10);
    private static final int PROVIDERS = 8;

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
            uncontended(url, pool);
            contended(url);
            rawPolling(url);
        } finally {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + TABLE);
                s.execute("DROP SEQUENCE IF EXISTS " + TABLE + "_fencing");
            }
        }
    }

    private static void uncontended(String url, HikariDataSource pool) throws Exception {
        String name = "bench:uncontended:" + UUID.randomUUID();
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
            latchkey(listening.lock(name), Duration.ofSeconds(1));
            rawPair(raw, rawName, Duration.ofSeconds(2));
            for (int r = 0; r < ROUNDS; r++) {
                floor[r] = rawPair(raw, rawName, ROUND);
                quiet[r] = latchkey(plain.lock(name), ROUND);
                notifying[r] = latchkey(listening.lock(name), ROUND);
            }
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
        System.out.printf(Locale.ROOT, "  latchkey LEASE, default (release also NOTIFYs)            %8.0f /s  (%.2fx floor)  %s%n",
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
        String name = "bench:contended:" + UUID.randomUUID();
        List<HikariDataSource> pools = new ArrayList<>();
        List<JdbcLockProvider> providers = new ArrayList<>();
        for (int i = 0; i < PROVIDERS; i++) {
            HikariDataSource p = pool(url, 3);
            pools.add(p);
            providers.add(JdbcLockProvider.builder(p).tableName(TABLE).mode(JdbcLockMode.LEASE).build());
        }
        providers.get(0).lock(name).tryAcquire().orElseThrow().release();
        long[] counts = new long[PROVIDERS];
        long[][] waits = new long[PROVIDERS][];
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        long[] timeouts = new long[PROVIDERS];
        for (int i = 0; i < PROVIDERS; i++) {
            int id = i;
            DistributedLock lock = providers.get(i).lock(name);
            Thread t = new Thread(() -> {
                long[] w = new long[1 << 16];
                int k = 0;
                try {
                    start.await();
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        var lease = lock.tryAcquire(Duration.ofSeconds(5));
                        if (lease.isEmpty()) {
                            timeouts[id]++;
                            continue;
                        }
                        if (k < w.length) {
                            w[k++] = System.nanoTime() - t0;
                        }
                        counts[id]++;
                        lease.get().release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                waits[id] = Arrays.copyOf(w, k);
            }, "contender-" + i);
            threads.add(t);
            t.start();
        }
        long t0 = System.nanoTime();
        start.countDown();
        Thread.sleep(CONTENDED.toMillis());
        stop.set(true);
        for (Thread t : threads) {
            t.join(15_000);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long total = Arrays.stream(counts).sum();
        long[] all = Arrays.stream(waits).filter(w -> w != null).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.println();
        System.out.println("Contended: " + PROVIDERS + " providers (8 pools, LISTEN/NOTIFY on), one name, "
                + CONTENDED.toSeconds() + " s:");
        System.out.printf(Locale.ROOT, "  acquisitions/s %8.0f  (total %d)%n", total / seconds, total);
        System.out.printf(Locale.ROOT, "  wait p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", pct(all, 0.50), pct(all, 0.99),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6);
        System.out.println("  per provider " + Arrays.toString(counts) + ", timed-out waits "
                + Arrays.stream(timeouts).sum());
        for (JdbcLockProvider p : providers) {
            p.close();
        }
        for (HikariDataSource p : pools) {
            p.close();
        }
    }

    /**
     * The baseline of the contended figure: 8 plain connections each polling the same conditional
     * UPDATE in a tight loop (no waiting, no wake-ups), releasing with a plain UPDATE.
     */
    private static void rawPolling(String url) throws Exception {
        String name = "bench:polling:" + UUID.randomUUID();
        String now = "CAST(EXTRACT(EPOCH FROM statement_timestamp()) * 1000 AS BIGINT)";
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement("INSERT INTO "
                + TABLE + " (lock_name, owner_token, fencing_token, expires_at) VALUES (?, NULL, 0, 0)")) {
            ps.setString(1, name);
            ps.executeUpdate();
        }
        long[] counts = new long[PROVIDERS];
        long[] attempts = new long[PROVIDERS];
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < PROVIDERS; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                String owner = UUID.randomUUID().toString().replace("-", "");
                try (Connection c = DriverManager.getConnection(url);
                     PreparedStatement acquire = c.prepareStatement("UPDATE " + TABLE + " SET owner_token = ?,"
                             + " fencing_token = fencing_token + 1, expires_at = " + now + " + 30000 WHERE lock_name = ?"
                             + " AND (owner_token IS NULL OR expires_at <= " + now + ") RETURNING fencing_token");
                     PreparedStatement release = c.prepareStatement("UPDATE " + TABLE + " SET owner_token = NULL"
                             + " WHERE lock_name = ? AND owner_token = ?")) {
                    acquire.setString(1, owner);
                    acquire.setString(2, name);
                    release.setString(1, name);
                    release.setString(2, owner);
                    start.await();
                    while (!stop.get()) {
                        attempts[id]++;
                        boolean got;
                        try (ResultSet rs = acquire.executeQuery()) {
                            got = rs.next();
                        }
                        if (got) {
                            counts[id]++;
                            release.executeUpdate();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "poller-" + i);
            threads.add(t);
            t.start();
        }
        long t0 = System.nanoTime();
        start.countDown();
        Thread.sleep(CONTENDED.toMillis());
        stop.set(true);
        for (Thread t : threads) {
            t.join(15_000);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long total = Arrays.stream(counts).sum();
        System.out.println();
        System.out.println("Baseline: 8 plain connections polling the conditional UPDATE in a tight loop, "
                + CONTENDED.toSeconds() + " s:");
        System.out.printf(Locale.ROOT, "  acquisitions/s %8.0f  (total %d), attempts per acquisition %.1f%n",
                total / seconds, total, (double) Arrays.stream(attempts).sum() / Math.max(1, total));
        System.out.println("  per connection " + Arrays.toString(counts));
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
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
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(10_000);
        return new HikariDataSource(c);
    }
}
