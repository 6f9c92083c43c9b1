package dev.latchkey.jcstress.retry;

import dev.latchkey.retry.RetryBudget;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZI_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link RetryBudget}: two retries race for the last token of a shared budget.
 *
 * <p>Probes the spend: exactly one retry gets the token and the bucket ends empty. Both getting
 * it is a double spend (the budget lets a storm through); neither getting it is a lost token.
 *
 * <p>Result: (retry 1 allowed, retry 2 allowed, tokens left in thousandths).
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t RetryBudget_01 -m quick}
 */
@JCStressTest
@Outcome(id = {"true, false, 0", "false, true, 0"}, expect = ACCEPTABLE, desc = "One retry spent the last token.")
@Outcome(id = {"true, true, 0", "true, true, -1000"}, expect = FORBIDDEN, desc = "Double spend: both retries got the one token.")
@Outcome(expect = FORBIDDEN, desc = "The token was lost, or the balance is corrupt.")
@State
public class RetryBudget_01_LastToken {
    private final RetryBudget budget = RetryBudget.create(1, 1.0);

    @Actor
    public void retry1(ZZI_Result r) {
        r.r1 = budget.tryAcquireRetry();
    }

    @Actor
    public void retry2(ZZI_Result r) {
        r.r2 = budget.tryAcquireRetry();
    }

    @Arbiter
    public void balance(ZZI_Result r) {
        r.r3 = (int) Math.round(budget.availableTokens() * 1000);
    }
}
