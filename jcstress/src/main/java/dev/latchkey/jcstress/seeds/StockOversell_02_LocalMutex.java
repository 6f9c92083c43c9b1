package dev.latchkey.jcstress.seeds;

import java.util.concurrent.locks.ReentrantLock;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZI_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Seed 003, "Race Condition 4: Useless Local Mutex", reproduced: {@code SafeReserve} declares
 * its mutex inside the method, so every call locks a private mutex that no other caller sees.
 *
 * <p>Probes: two customers buy the last unit, each through its own fresh
 * {@link ReentrantLock}. Locking guards nothing shared, so the oversell of
 * {@link StockOversell_01_Unsynchronized} remains; it is {@code ACCEPTABLE_INTERESTING} here to
 * show that a lock only helps when every competitor takes the same one.
 *
 * <p>Result: (actor 1 sold, actor 2 sold, units left).
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t StockOversell_02 -m quick}
 */
@JCStressTest
@Outcome(id = {"true, false, 0", "false, true, 0"}, expect = ACCEPTABLE, desc = "One customer got the last unit.")
@Outcome(id = "true, true, -1", expect = ACCEPTABLE_INTERESTING, desc = "Oversold despite the per-call mutex.")
@Outcome(id = "true, true, 0", expect = ACCEPTABLE_INTERESTING, desc = "Oversold and a lost update despite the per-call mutex.")
@Outcome(expect = FORBIDDEN, desc = "Nobody sold the unit in stock, or the counter is corrupt.")
@State
public class StockOversell_02_LocalMutex {
    private final UnsafeStock stock = new UnsafeStock(1);

    /** The seed's SafeReserve: the mutex is a local variable, new on every call. */
    private boolean safeReserve(int quantity) {
        ReentrantLock mu = new ReentrantLock();
        mu.lock();
        try {
            return stock.reserve(quantity);
        } finally {
            mu.unlock();
        }
    }

    @Actor
    public void customerA(ZZI_Result r) {
        r.r1 = safeReserve(1);
    }

    @Actor
    public void customerB(ZZI_Result r) {
        r.r2 = safeReserve(1);
    }

    @Arbiter
    public void count(ZZI_Result r) {
        r.r3 = stock.units();
    }
}
