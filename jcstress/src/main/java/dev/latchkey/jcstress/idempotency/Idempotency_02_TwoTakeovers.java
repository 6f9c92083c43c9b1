package dev.latchkey.jcstress.idempotency;

import dev.latchkey.idempotency.InMemoryIdempotencyStore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.time.Duration;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link InMemoryIdempotencyStore}: two retries claim a key whose first claim expired (its
 * owner crashed mid-request), at the same moment.
 *
 * <p>Probes the takeover of an expired claim: exactly one retry takes it over; the other sees
 * the winner's claim in progress. The expired claim is made with a 1 ns in-progress timeout,
 * through the store SPI, so it is over before the actors run.
 *
 * <p>Result: (claim 1, claim 2), each 0 = claimed, 1 = took over, 2 = in progress, 3 = completed.
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t Idempotency_02 -m quick}
 */
@JCStressTest
@Outcome(id = {"1, 2", "2, 1"}, expect = ACCEPTABLE, desc = "One retry took the expired claim over; the other sees it in progress.")
@Outcome(id = {"1, 1", "0, 1", "1, 0", "0, 0"}, expect = FORBIDDEN, desc = "Both retries won: the action would run twice.")
@Outcome(expect = FORBIDDEN, desc = "The expired claim blocked both retries, or an impossible status.")
@State
public class Idempotency_02_TwoTakeovers {
    private static final Duration IN_PROGRESS_TIMEOUT = Duration.ofSeconds(30);

    private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create();

    public Idempotency_02_TwoTakeovers() {
        store.claim("order-42", Claims.FINGERPRINT, "crashed", Duration.ofNanos(1));
    }

    @Actor
    public void retry1(II_Result r) {
        r.r1 = Claims.code(store.claim("order-42", Claims.FINGERPRINT, "claim-1", IN_PROGRESS_TIMEOUT));
    }

    @Actor
    public void retry2(II_Result r) {
        r.r2 = Claims.code(store.claim("order-42", Claims.FINGERPRINT, "claim-2", IN_PROGRESS_TIMEOUT));
    }
}
