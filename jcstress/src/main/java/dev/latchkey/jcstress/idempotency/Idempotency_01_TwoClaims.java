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
 * {@link InMemoryIdempotencyStore}: two duplicates of one request claim the same new
 * idempotency key at the same moment (seed 004: a client retries while the first request is
 * still being processed).
 *
 * <p>Probes the claim: exactly one wins and runs the action; the other is told the key is in
 * progress (HTTP 409). Both winning means the action runs twice, the bug idempotency keys exist
 * to prevent.
 *
 * <p>Result: (claim 1, claim 2), each 0 = claimed, 1 = took over, 2 = in progress, 3 = completed.
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t Idempotency_01 -m quick}
 */
@JCStressTest
@Outcome(id = {"0, 2", "2, 0"}, expect = ACCEPTABLE, desc = "One claim won; the duplicate sees it in progress.")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "Both claims won: the action would run twice.")
@Outcome(expect = FORBIDDEN, desc = "No claim won a new key, or an impossible status.")
@State
public class Idempotency_01_TwoClaims {
    private static final Duration IN_PROGRESS_TIMEOUT = Duration.ofSeconds(30);

    private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create();

    @Actor
    public void request1(II_Result r) {
        r.r1 = Claims.code(store.claim("order-42", Claims.FINGERPRINT, "claim-1", IN_PROGRESS_TIMEOUT));
    }

    @Actor
    public void request2(II_Result r) {
        r.r2 = Claims.code(store.claim("order-42", Claims.FINGERPRINT, "claim-2", IN_PROGRESS_TIMEOUT));
    }
}
