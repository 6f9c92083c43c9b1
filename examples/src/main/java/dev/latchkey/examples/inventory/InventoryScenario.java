package dev.latchkey.examples.inventory;

import dev.latchkey.examples.Backends;
import dev.latchkey.examples.Crowd;
import dev.latchkey.examples.Ledger;
import dev.latchkey.examples.Outcome;
import dev.latchkey.examples.Scenario;
import dev.latchkey.examples.Settings;
import dev.latchkey.examples.Variant;
import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.LockLease;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Seed 001: 10 laptops, 15 customers pressing "Buy" at once. Check-then-act oversells; a
 * {@code DistributedLock}, an optimistic retry on the version column, or a conditional
 * {@code UPDATE} each sell exactly 10 and reject 5.
 */
public final class InventoryScenario implements Scenario {

    static final int STOCK = 10;
    static final int CUSTOMERS = 15;

    @Override
    public String name() {
        return "inventory";
    }

    @Override
    public String title() {
        return "seed 001: " + STOCK + " laptops, " + CUSTOMERS + " customers buy at once";
    }

    @Override
    public String violationLabel() {
        return "oversold";
    }

    @Override
    public List<Variant> variants(Backends backends, Settings settings) {
        return List.of(
                Variant.broken("check-then-act", () -> sell(backends, settings, Warehouse::buyCheckThenAct)),
                Variant.fixed("DistributedLock around check+act", () -> {
                    DistributedLock lock = backends.locks().lock(backends.scoped("inventory:" + Warehouse.PRODUCT));
                    return sell(backends, settings, w -> {
                        try (LockLease lease = lock.acquire(Duration.ofSeconds(30))) {
                            Objects.requireNonNull(lease);
                            return w.buyCheckThenAct();
                        }
                    });
                }),
                Variant.fixed("optimistic retry on version column", () -> {
                    OptimisticBuyer buyer = new OptimisticBuyer();
                    Outcome o = sell(backends, settings, buyer::buy);
                    return new Outcome(o.expected(), o.actual(), o.violations(), o.rejected(),
                            buyer.conflicts() + " version conflicts retried");
                }),
                Variant.fixed("conditional UPDATE ... WHERE quantity >= 1",
                        () -> sell(backends, settings, Warehouse::buyConditionalUpdate)));
    }

    /** One customer's attempt to buy one laptop; true when sold. */
    @FunctionalInterface
    interface Purchase {
        boolean buy(Warehouse w) throws Exception;
    }

    static Outcome sell(Backends backends, Settings settings, Purchase purchase) throws Exception {
        try (Warehouse w = new Warehouse(backends.dataSource(), settings, STOCK)) {
            List<Boolean> sold = Crowd.run(CUSTOMERS, i -> () -> purchase.buy(w));
            long n = sold.stream().filter(Boolean::booleanValue).count();
            long left = w.left();
            return new Outcome(STOCK + " sold, " + (CUSTOMERS - STOCK) + " rejected, 0 left",
                    n + " sold, " + (CUSTOMERS - n) + " rejected, " + left + " left",
                    Ledger.violations(STOCK, n, left), CUSTOMERS - n);
        }
    }
}
