package dev.latchkey.examples.inventoryservice;

import dev.latchkey.examples.Backends;
import dev.latchkey.examples.Crowd;
import dev.latchkey.examples.Ledger;
import dev.latchkey.examples.Outcome;
import dev.latchkey.examples.Scenario;
import dev.latchkey.examples.Settings;
import dev.latchkey.examples.Variant;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seed 003: the four races of one inventory service (unsafe map, check-then-act, non-atomic
 * bundle reservation, useless local mutex), each next to its fix.
 */
public final class InventoryServiceScenario implements Scenario {

    static final int WRITERS = 8;
    static final int PRODUCTS_PER_WRITER = 2_000;
    static final int STOCK = 10;
    static final int BUYERS = 15;
    static final int BUNDLE_A_STOCK = 10;
    static final int BUNDLE_B_STOCK = 5;
    static final int BUNDLE_BUYERS = 10;
    static final int SINGLE_B_BUYERS = 5;

    private final AtomicInteger runs = new AtomicInteger();

    @Override
    public String name() {
        return "inventory-service";
    }

    @Override
    public String title() {
        return "seed 003: four races in one inventory service, each with its fix";
    }

    @Override
    public String violationLabel() {
        return "oversold/lost";
    }

    @Override
    public List<Variant> variants(Backends backends, Settings settings) {
        return List.of(
                Variant.broken("1 HashMap, " + WRITERS + " threads add products", () -> concurrentAdds(backends, settings, false)),
                Variant.fixed("1 ConcurrentHashMap", () -> concurrentAdds(backends, settings, true)),
                Variant.broken("2 Reserve: check-then-act", () -> reserveOne(backends, settings, false)),
                Variant.fixed("2 Reserve under lock(product)", () -> reserveOne(backends, settings, true)),
                Variant.broken("3 ReserveMultiple: check all, take all", () -> bundle(backends, settings, false)),
                Variant.fixed("3 ReserveMultiple under lockAll(A, B)", () -> bundle(backends, settings, true)),
                Variant.broken("4 SafeReserve: mutex local to the call", () -> localMutex(backends, settings, false)),
                Variant.fixed("4 SafeReserve: one lock shared by name", () -> localMutex(backends, settings, true)));
    }

    private InventoryService service(Backends backends, Settings settings, boolean safeMap) {
        return new InventoryService(safeMap, settings, backends.locks(),
                backends.scoped("inventory-service:" + runs.incrementAndGet() + ":"));
    }

    private Outcome concurrentAdds(Backends backends, Settings settings, boolean safeMap) throws Exception {
        InventoryService s = service(backends, settings, safeMap);
        Crowd.run(WRITERS, w -> () -> {
            for (int i = 0; i < PRODUCTS_PER_WRITER; i++) {
                s.addProduct("p-" + w + "-" + i, 1);
            }
            return null;
        });
        int expected = WRITERS * PRODUCTS_PER_WRITER;
        int found = 0;
        for (int w = 0; w < WRITERS; w++) {
            for (int i = 0; i < PRODUCTS_PER_WRITER; i++) {
                found += s.product("p-" + w + "-" + i) == null ? 0 : 1;
            }
        }
        return new Outcome(expected + " products", found + " products", expected - found, 0,
                safeMap ? "" : "Java's HashMap does not crash like Go's map; it silently loses entries");
    }

    private Outcome reserveOne(Backends backends, Settings settings, boolean fixed) throws Exception {
        InventoryService s = service(backends, settings, true);
        s.addProduct("A", STOCK);
        List<Boolean> ok = Crowd.run(BUYERS, i -> () -> fixed ? s.reserve("A", 1) : s.unsafeReserve("A", 1));
        return units(s, List.of("A"), ok);
    }

    private Outcome localMutex(Backends backends, Settings settings, boolean fixed) throws Exception {
        InventoryService s = service(backends, settings, true);
        s.addProduct("A", STOCK);
        List<Boolean> ok = Crowd.run(BUYERS, i -> () -> fixed ? s.safeReserve("A", 1) : s.unsafeSafeReserve("A", 1));
        return units(s, List.of("A"), ok);
    }

    private Outcome bundle(Backends backends, Settings settings, boolean fixed) throws Exception {
        InventoryService s = service(backends, settings, true);
        s.addProduct("A", BUNDLE_A_STOCK);
        s.addProduct("B", BUNDLE_B_STOCK);
        Map<String, Integer> bundle = Map.of("A", 1, "B", 1);
        List<Boolean> ok = Crowd.run(BUNDLE_BUYERS + SINGLE_B_BUYERS, i -> () -> {
            if (i < BUNDLE_BUYERS) {
                return fixed ? s.reserveMultiple(bundle) : s.unsafeReserveMultiple(bundle);
            }
            return fixed ? s.reserve("B", 1) : s.unsafeReserve("B", 1);
        });
        return units(s, List.of("A", "B"), ok);
    }

    private static Outcome units(InventoryService s, List<String> ids, List<Boolean> ok) {
        long violations = 0;
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (String id : ids) {
            Product p = s.product(id);
            violations += Ledger.violations(p.initialStock, p.handedOut.get(), p.stock.get());
            expected.add(id + " <= " + p.initialStock + " out, >= 0 left");
            actual.add(id + " " + p.handedOut.get() + " out, " + p.stock.get() + " left");
        }
        long rejected = ok.stream().filter(b -> !b).count();
        return new Outcome(String.join("; ", expected), String.join("; ", actual), violations, rejected);
    }
}
