package dev.latchkey.examples.redisstock;

import dev.latchkey.examples.Backends;
import dev.latchkey.examples.Outcome;
import dev.latchkey.examples.Scenario;
import dev.latchkey.examples.Settings;
import dev.latchkey.examples.Variant;
import redis.clients.jedis.JedisPooled;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seed 000: separate OS processes (JVMs started with the same class path) race GET/SET on one
 * Redis stock key; then the same processes buy under the Redis token lock.
 */
public final class RedisStockScenario implements Scenario {

    static final int STOCK = 1;
    static final int PROCESSES = 6;

    private final AtomicInteger runs = new AtomicInteger();

    @Override
    public String name() {
        return "redis-stock";
    }

    @Override
    public String title() {
        return "seed 000: " + PROCESSES + " OS processes buy " + STOCK + " item from a Redis stock key";
    }

    @Override
    public String violationLabel() {
        return "oversold";
    }

    @Override
    public Optional<String> unavailableReason(Backends backends) {
        return backends.redisUri().isPresent() ? Optional.empty()
                : Optional.of("needs Redis (its buyers are separate processes sharing a Redis key):"
                + " run with --redis redis://127.0.0.1:6379");
    }

    @Override
    public List<Variant> variants(Backends backends, Settings settings) {
        return List.of(
                Variant.broken("GET, check, SET (no lock)", () -> race(backends, settings, "get-set")),
                Variant.fixed("Redis token lock (RedisLockProvider)", () -> race(backends, settings, "token-lock")));
    }

    private Outcome race(Backends backends, Settings settings, String mode) throws Exception {
        String uri = backends.redisUri().orElseThrow();
        String base = backends.scoped("redis-stock:" + runs.incrementAndGet());
        String stockKey = base + ":stock";
        String barrierKey = base + ":barrier";
        try (JedisPooled jedis = new JedisPooled(URI.create(uri))) {
            jedis.set(stockKey, Integer.toString(STOCK));
            List<Process> buyers = new ArrayList<>();
            try {
                for (int i = 0; i < PROCESSES; i++) {
                    buyers.add(ChildJvm.start(StockBuyer.class, uri, stockKey, barrierKey, mode,
                            Long.toString(settings.checkToActDelay().toMillis()), base + ":lock"));
                }
                awaitReady(jedis, barrierKey + ":ready", buyers);
                // Every buyer is connected and blocked on the barrier: release them all at once.
                jedis.rpush(barrierKey + ":go", goTokens());
                List<String> lines = new ArrayList<>();
                for (Process p : buyers) {
                    lines.add(ChildJvm.awaitLine(p));
                }
                long sold = lines.stream().filter(l -> l.startsWith("SOLD")).count();
                long rejected = lines.stream().filter(l -> l.startsWith("REJECTED")).count();
                if (sold + rejected != PROCESSES) {
                    throw new IllegalStateException("a buyer process failed: " + lines);
                }
                long left = Long.parseLong(jedis.get(stockKey));
                String note = mode.equals("token-lock") ? "fencing tokens: " + fencing(lines) : "";
                return new Outcome(STOCK + " sold, " + (PROCESSES - STOCK) + " rejected",
                        sold + " sold, " + rejected + " rejected, stock key " + left,
                        Math.max(0, sold - STOCK), rejected, note);
            } finally {
                buyers.forEach(Process::destroyForcibly);
                jedis.del(stockKey, barrierKey + ":ready", barrierKey + ":go");
            }
        }
    }

    private static String[] goTokens() {
        String[] go = new String[PROCESSES];
        java.util.Arrays.fill(go, "go");
        return go;
    }

    private static String fencing(List<String> lines) {
        return lines.stream().map(l -> Long.parseLong(l.substring(l.indexOf('=') + 1))).sorted().toList().toString();
    }

    private static void awaitReady(JedisPooled jedis, String readyKey, List<Process> buyers)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (jedis.llen(readyKey) < buyers.size()) {
            for (Process p : buyers) {
                if (!p.isAlive()) {
                    throw new IOException("a buyer process exited before the barrier: " + ChildJvm.output(p));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("buyer processes did not reach the barrier within 120 s");
            }
            Thread.sleep(20);
        }
    }
}
