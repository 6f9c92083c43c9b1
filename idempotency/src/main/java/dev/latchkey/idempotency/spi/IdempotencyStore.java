package dev.latchkey.idempotency.spi;

import java.time.Duration;

/**
 * Where idempotency records live. A record is one key with a state (in progress under a claim
 * token, or completed with an outcome and payload), the fingerprint of the request that created it
 * and a deadline. {@link dev.latchkey.idempotency.Idempotency} validates every argument before it
 * calls a store, so stores need not.
 *
 * <p>What every store guarantees (the store contract in the test sources checks it):
 * <ul>
 *   <li>{@link #claim} is atomic: of any number of concurrent claims for one key, exactly one
 *       returns {@link ClaimResult.Status#CLAIMED}; the others see that claim or its completion.
 *   <li>A record whose deadline has passed counts as absent: the next claim replaces it, and
 *       reports a takeover if it was in progress.
 *   <li>{@link #complete} and {@link #release} act only while the record is in progress under the
 *       given claim token; after a takeover the old claimant's calls change nothing.
 *   <li>Deadlines are kept on one clock in one unit (milliseconds): the server's clock for
 *       remote stores, {@link System#nanoTime()} in memory, never the caller's wall clock.
 *   <li>Failures to reach or use the backend are thrown as
 *       {@link dev.latchkey.idempotency.IdempotencyBackendException}, never reported as a state.
 * </ul>
 * Implementations are thread-safe.
 *
 * @since 0.1
 */
public interface IdempotencyStore {

    /**
     * Claims {@code key} for {@code claimToken} if no live record holds it, else reports the live
     * record.
     *
     * @param key a validated idempotency key
     * @param fingerprint the request's fingerprint, stored with the claim
     * @param claimToken a random token unique to this attempt
     * @param inProgressTimeout how long the claim lives before another caller may take it over
     * @return the outcome
     */
    ClaimResult claim(String key, byte[] fingerprint, String claimToken, Duration inProgressTimeout);

    /**
     * Stores the outcome of the request holding {@code claimToken} and keeps it for
     * {@code retention}, only if the record is still in progress under that token (even if its
     * deadline has passed but nobody took it over).
     *
     * @param key the key
     * @param claimToken the token passed to {@link #claim}
     * @param outcome how the request ended
     * @param payload what to replay
     * @param retention how long to keep the completed record
     * @return true if stored; false if the claim was lost (taken over, released or expired and
     *     removed), in which case nothing changed
     */
    boolean complete(String key, String claimToken, StoredOutcome outcome, byte[] payload, Duration retention);

    /**
     * Deletes the record if it is still in progress under {@code claimToken}, so the key can be
     * claimed again at once.
     *
     * @param key the key
     * @param claimToken the token passed to {@link #claim}
     * @return true if deleted; false if the claim was already lost
     */
    boolean release(String key, String claimToken);
}
