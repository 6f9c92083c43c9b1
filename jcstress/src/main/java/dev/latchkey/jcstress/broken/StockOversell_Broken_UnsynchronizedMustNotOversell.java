package dev.latchkey.jcstress.broken;

import dev.latchkey.jcstress.seeds.UnsafeStock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZI_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A deliberately failing harness: the seeds' unsynchronized stock counter ({@link UnsafeStock})
 * held to the standard of the fixed ones, so an oversell is {@code FORBIDDEN}.
 *
 * <p>It proves that the build's jcstress gate fails when a harness sees a forbidden outcome.
 * The quick pass excludes this package by default; point it here to watch the build fail:
 * <pre>{@code
 * ./mvnw -B -pl jcstress -am verify -DskipTests -Djcstress.tests='dev\.latchkey\.jcstress\.broken\..*' -Djcstress.minTests=1
 * }</pre>
 *
 * <p>Result: (actor 1 sold, actor 2 sold, units left).
 */
@JCStressTest
@Outcome(id = {"true, false, 0", "false, true, 0"}, expect = ACCEPTABLE, desc = "One customer got the last unit.")
@Outcome(id = {"true, true, -1", "true, true, 0"}, expect = FORBIDDEN, desc = "Oversold: the counter has no mutual exclusion.")
@Outcome(expect = FORBIDDEN, desc = "Nobody sold the unit in stock, or the counter is corrupt.")
@State
public class StockOversell_Broken_UnsynchronizedMustNotOversell {
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
