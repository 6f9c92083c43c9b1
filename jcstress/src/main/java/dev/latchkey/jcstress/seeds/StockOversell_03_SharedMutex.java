package dev.latchkey.jcstress.seeds;

import java.util.concurrent.locks.ReentrantLock;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZI_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The fix of seeds 001 and 003: one mutex shared by every caller of the stock service, held
 * across the check and the act.
 *
 * <p>Probes: the same race as {@link StockOversell_01_Unsynchronized} and
 * {@link StockOversell_02_LocalMutex}, with the counter's lock moved to the service (the seed's
 * "move the mutex to the InventoryService struct"). An oversell or a lost update is
 * {@code FORBIDDEN}.
 *
 * <p>Result: (actor 1 sold, actor 2 sold, units left).
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t StockOversell_03 -m quick}
 */
@JCStressTest
@Outcome(id = {"true, false, 0", "false, true, 0"}, expect = ACCEPTABLE, desc = "One customer got the last unit.")
@Outcome(id = {"true, true, -1", "true, true, 0"}, expect = FORBIDDEN, desc = "Oversold: the shared mutex failed.")
@Outcome(expect = FORBIDDEN, desc = "Nobody sold the unit in stock, or the counter is corrupt.")
@State
public class StockOversell_03_SharedMutex {
    private final UnsafeStock stock = new UnsafeStock(1);
    private final ReentrantLock mu = new ReentrantLock();

    private boolean reserve(int quantity) {
        mu.lock();
        try {
            return stock.reserve(quantity);
        } finally {
            mu.unlock();
        }
    }

    @Actor
    public void customerA(ZZI_Result r) {
        r.r1 = reserve(1);
    }

    @Actor
    public void customerB(ZZI_Result r) {
        r.r2 = reserve(1);
    }

    @Arbiter
    public void count(ZZI_Result r) {
        mu.lock();
        try {
            r.r3 = stock.units();
        } finally {
            mu.unlock();
        }
    }
}
