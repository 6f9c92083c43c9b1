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
 * {@link RetryBudget}: on a full budget (two tokens of two), a retry spends a token while a
 * success tries to earn half a token back.
 *
 * <p>Probes the capacity cap and its fast path (a success on a full bucket changes nothing):
 * the success either saw the bucket full and did nothing (1 token left) or came after the spend
 * and earned half a token (1.5 left). A success that overwrote the spend (2 left) or filled the
 * bucket past its capacity (2.5) is {@code FORBIDDEN}.
 *
 * <p>Result: (retry allowed, tokens left in thousandths).
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t RetryBudget_03 -m quick}
 */
@JCStressTest
@Outcome(id = "true, 1000", expect = ACCEPTABLE, desc = "The success saw a full bucket and earned nothing.")
@Outcome(id = "true, 1500", expect = ACCEPTABLE, desc = "The success came after the spend and earned half a token.")
@Outcome(id = "true, 2000", expect = FORBIDDEN, desc = "Lost update: the refill overwrote the spend.")
@Outcome(id = "true, 2500", expect = FORBIDDEN, desc = "The bucket went past its capacity.")
@Outcome(expect = FORBIDDEN, desc = "The retry was refused on a full bucket, or the balance is corrupt.")
@State
public class RetryBudget_03_RefillAtCapacityVsSpend {
    private final RetryBudget budget = RetryBudget.create(2, 0.5);

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
