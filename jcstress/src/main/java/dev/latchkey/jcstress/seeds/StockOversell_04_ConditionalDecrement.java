package dev.latchkey.jcstress.seeds;

import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZI_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The lock-free fix of seed 001 ("Database Constraints": {@code UPDATE ... SET quantity =
 * quantity - 1 WHERE quantity >= 1}, then check the rows affected), in memory: one
 * compare-and-set that decrements only while the stock it read is still there.
 *
 * <p>Probes: two customers buy the last unit with a conditional decrement; the payment step
 * sits between the read and the compare-and-set, where the unsafe counter lost the race. An
 * oversell is {@code FORBIDDEN}.
 *
 * <p>Result: (actor 1 sold, actor 2 sold, units left).
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t StockOversell_04 -m quick}
 */
@JCStressTest
@Outcome(id = {"true, false, 0", "false, true, 0"}, expect = ACCEPTABLE, desc = "One customer got the last unit.")
@Outcome(id = {"true, true, -1", "true, true, 0"}, expect = FORBIDDEN, desc = "Oversold: the conditional decrement failed.")
@Outcome(expect = FORBIDDEN, desc = "Nobody sold the unit in stock, or the counter is corrupt.")
@State
public class StockOversell_04_ConditionalDecrement {
    private final AtomicInteger units = new AtomicInteger(1);

    private boolean reserve(int quantity) {
        while (true) {
            int seen = units.get();
            if (seen < quantity) {
                return false;
            }
            Checkout.verifyPayment();
            if (units.compareAndSet(seen, seen - quantity)) {
                return true;
            }
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
        r.r3 = units.get();
    }
}
