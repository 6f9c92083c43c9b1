package dev.latchkey.jcstress.seeds;

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
 * Seed 001 and seed 003 ("Race Condition 2"), reproduced: two customers buy the last unit of a
 * stock counter whose check and act are separate steps ({@link UnsafeStock}).
 *
 * <p>Probes: both actors read {@code units == 1}, both pass the check, both decrement. The
 * oversell is expected here: it is marked {@code ACCEPTABLE_INTERESTING} so the run reports how
 * often it happens, and it shows up within a quick pass on two cores. The fixed versions are
 * {@link StockOversell_03_SharedMutex} and {@link StockOversell_04_ConditionalDecrement}.
 *
 * <p>Result: (actor 1 sold, actor 2 sold, units left).
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t StockOversell_01 -m quick}
 */
@JCStressTest
@Outcome(id = {"true, false, 0", "false, true, 0"}, expect = ACCEPTABLE, desc = "One customer got the last unit.")
@Outcome(id = "true, true, -1", expect = ACCEPTABLE_INTERESTING, desc = "Oversold: both passed the check, stock went negative.")
@Outcome(id = "true, true, 0", expect = ACCEPTABLE_INTERESTING, desc = "Oversold and a lost update: both sold, one decrement vanished.")
@Outcome(expect = FORBIDDEN, desc = "Nobody sold the unit in stock, or the counter is corrupt.")
@State
public class StockOversell_01_Unsynchronized {
    private final UnsafeStock stock = new UnsafeStock(1);

    @Actor
    public void customerA(ZZI_Result r) {
        r.r1 = stock.reserve(1);
    }

    @Actor
    public void customerB(ZZI_Result r) {
        r.r2 = stock.reserve(1);
    }

    @Arbiter
    public void count(ZZI_Result r) {
        r.r3 = stock.units();
    }
}
