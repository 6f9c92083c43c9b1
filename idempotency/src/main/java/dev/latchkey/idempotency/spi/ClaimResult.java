package dev.latchkey.idempotency.spi;

import java.util.Objects;

/**
 * What {@link IdempotencyStore#claim} found: the caller now holds the claim, or a live record of an
 * earlier request exists (in progress or completed) together with that request's fingerprint, so
 * the caller can refuse a key reuse on every path.
 *
 * @since 0.1
 */
public final class ClaimResult {

    /** The kind of result. */
    public enum Status {
        /** The caller's claim token now holds the key (a new record, or a takeover). */
        CLAIMED,
        /** Another claim holds the key and has not expired. */
        IN_PROGRESS,
        /** An earlier request completed; its outcome and payload are attached. */
        COMPLETED
    }

    private static final ClaimResult CLAIMED_NEW = new ClaimResult(Status.CLAIMED, false, null, null, null);
    private static final ClaimResult CLAIMED_TAKEOVER = new ClaimResult(Status.CLAIMED, true, null, null, null);

    private final Status status;
    private final boolean takeover;
    private final byte[] fingerprint;
    private final StoredOutcome outcome;
    private final byte[] payload;

    private ClaimResult(Status status, boolean takeover, byte[] fingerprint, StoredOutcome outcome, byte[] payload) {
        this.status = status;
        this.takeover = takeover;
        this.fingerprint = fingerprint;
        this.outcome = outcome;
        this.payload = payload;
    }

    /**
     * The caller holds the claim.
     *
     * @param takeover true if it replaced an in-progress claim whose timeout had passed
     * @return the result
     */
    public static ClaimResult claimed(boolean takeover) {
        return takeover ? CLAIMED_TAKEOVER : CLAIMED_NEW;
    }

    /**
     * Another live claim holds the key.
     *
     * @param fingerprint the fingerprint of the request holding it
     * @return the result
     * @throws NullPointerException if {@code fingerprint} is null
     */
    public static ClaimResult inProgress(byte[] fingerprint) {
        return new ClaimResult(Status.IN_PROGRESS, false, Objects.requireNonNull(fingerprint, "fingerprint"), null, null);
    }

    /**
     * An earlier request completed.
     *
     * @param fingerprint the fingerprint of that request
     * @param outcome how it ended
     * @param payload the stored payload
     * @return the result
     * @throws NullPointerException if any argument is null
     */
    public static ClaimResult completed(byte[] fingerprint, StoredOutcome outcome, byte[] payload) {
        return new ClaimResult(Status.COMPLETED, false, Objects.requireNonNull(fingerprint, "fingerprint"),
                Objects.requireNonNull(outcome, "outcome"), Objects.requireNonNull(payload, "payload"));
    }

    /** @return the kind of result */
    public Status status() {
        return status;
    }

    /** @return true if the claim replaced an expired in-progress claim (only with {@link Status#CLAIMED}) */
    public boolean takeover() {
        return takeover;
    }

    /** @return the fingerprint of the record found, or null with {@link Status#CLAIMED} */
    public byte[] fingerprint() {
        return fingerprint;
    }

    /** @return the stored outcome, only with {@link Status#COMPLETED} */
    public StoredOutcome outcome() {
        return outcome;
    }

    /** @return the stored payload, only with {@link Status#COMPLETED} */
    public byte[] payload() {
        return payload;
    }

    @Override
    public String toString() {
        return "ClaimResult{" + status + (takeover ? ", takeover" : "")
                + (outcome == null ? "" : ", " + outcome + ", " + payload.length + " bytes") + '}';
    }
}
