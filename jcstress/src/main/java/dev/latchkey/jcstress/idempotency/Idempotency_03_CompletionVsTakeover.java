package dev.latchkey.jcstress.idempotency;

import dev.latchkey.idempotency.InMemoryIdempotencyStore;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.StoredOutcome;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZI_Result;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link InMemoryIdempotencyStore}: a slow first request finishes just as a retry takes its
 * expired claim over.
 *
 * <p>Probes completion racing takeover: the stale claim may complete only if it lands before the
 * takeover (the retry then finds the response and replays it); once the retry has taken over,
 * the stale completion must fail and never overwrite the retry's response. The stored response
 * read at the end must belong to whichever side won. The stale claim has a 1 ns in-progress
 * timeout (through the store SPI), so it has expired before the actors run.
 *
 * <p>Result: (stale completion stored, retry took over, stored response: 1 = stale request's,
 * 2 = retry's, 0 = none or other).
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t Idempotency_03 -m quick}
 */
@JCStressTest
@Outcome(id = "true, false, 1", expect = ACCEPTABLE, desc = "The slow request completed first; the retry replays its response.")
@Outcome(id = "false, true, 2", expect = ACCEPTABLE, desc = "The retry took over; the stale completion was refused.")
@Outcome(id = {"true, true, 1", "true, true, 2", "true, true, 0"}, expect = FORBIDDEN, desc = "Both ran to completion: the stale claim completed after the takeover.")
@Outcome(expect = FORBIDDEN, desc = "The stored response belongs to the loser, or nothing was stored.")
@State
public class Idempotency_03_CompletionVsTakeover {
    private static final Duration RETENTION = Duration.ofHours(1);
    private static final byte[] STALE_RESPONSE = "201 order 42 (first request)".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RETRY_RESPONSE = "201 order 42 (retry)".getBytes(StandardCharsets.UTF_8);

    private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create();

    public Idempotency_03_CompletionVsTakeover() {
        store.claim("order-42", Claims.FINGERPRINT, "stale", Duration.ofNanos(1));
    }

    @Actor
    public void staleRequestCompletes(ZZI_Result r) {
        r.r1 = store.complete("order-42", "stale", StoredOutcome.SUCCESS, STALE_RESPONSE, RETENTION);
    }

    @Actor
    public void retryTakesOver(ZZI_Result r) {
        ClaimResult claim = store.claim("order-42", Claims.FINGERPRINT, "retry", Duration.ofSeconds(30));
        r.r2 = claim.status() == ClaimResult.Status.CLAIMED;
        if (r.r2) {
            store.complete("order-42", "retry", StoredOutcome.SUCCESS, RETRY_RESPONSE, RETENTION);
        }
    }

    @Arbiter
    public void readStored(ZZI_Result r) {
        ClaimResult stored = store.claim("order-42", Claims.FINGERPRINT, "reader", Duration.ofSeconds(30));
        if (stored.status() != ClaimResult.Status.COMPLETED) {
            r.r3 = 0;
        } else if (Arrays.equals(stored.payload(), STALE_RESPONSE)) {
            r.r3 = 1;
        } else if (Arrays.equals(stored.payload(), RETRY_RESPONSE)) {
            r.r3 = 2;
        } else {
            r.r3 = 0;
        }
    }
}
