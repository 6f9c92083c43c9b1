package dev.latchkey.jcstress.retry;

import dev.latchkey.retry.RetryBudget;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZI_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link RetryBudget}: a retry spends a token while a success earns half a token back, on a
 * budget holding one token of two.
 *
 * <p>Probes the token accounting under concurrent spend and refill: whichever goes first, the
 * balance ends at 1 - 1 + 0.5 = 0.5 tokens. Any other balance is a lost update (one change
 * overwrote the other).
 *
 * <p>Result: (retry allowed, tokens left in thousandths).
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t RetryBudget_02 -m quick}
 */
@JCStressTest
@Outcome(id = "true, 500", expect = ACCEPTABLE, desc = "Both changes counted: 0.5 tokens left.")
@Outcome(id = {"true, 0", "true, 1500"}, expect = FORBIDDEN, desc = "Lost update: the spend or the refill vanished.")
@Outcome(expect = FORBIDDEN, desc = "The retry was refused with a token in the bucket, or the balance is corrupt.")
@State
public class RetryBudget_02_SpendVsRefill {
    private final RetryBudget budget = RetryBudget.create(2, 0.5);

    public RetryBudget_02_SpendVsRefill() {
        budget.tryAcquireRetry();
    }

    @Actor
    public void retry(ZI_Result r) {
        r.r1 = budget.tryAcquireRetry();
    }

    @Actor
    public void success() {
        budget.recordSuccess();
    }

    @Arbiter
    public void balance(ZI_Result r) {
        r.r2 = (int) Math.round(budget.availableTokens() * 1000);
    }
}
