package dev.latchkey.idempotency;

import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.idempotency.spi.StoredOutcome;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link IdempotencyStore} in this JVM's memory: for one-instance services and tests. Records
 * expire on {@link System#nanoTime()} and the store holds at most a fixed number of them; expired
 * records are swept when it is full, and if it is still full a claim fails with
 * {@link IdempotencyBackendException} rather than evicting a live record (which would let a
 * duplicate run twice). Records are lost when the JVM exits.
 *
 * <p>Lock-free: every change is one compare-and-set on a {@link ConcurrentHashMap} entry against
 * the immutable record it was decided from, so a completion racing a takeover either lands before
 * it (and is then replaced) or fails.
 *
 * @since 0.1
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {

    /** The default bound on the number of records. */
    public static final int DEFAULT_MAX_RECORDS = 100_000;

    private final ConcurrentHashMap<String, Entry> records = new ConcurrentHashMap<>();
    private final int maxRecords;

    private InMemoryIdempotencyStore(int maxRecords) {
        this.maxRecords = maxRecords;
    }

    /**
     * Creates a store holding at most {@value #DEFAULT_MAX_RECORDS} records.
     *
     * @return a new, empty store
     */
    public static InMemoryIdempotencyStore create() {
        return new InMemoryIdempotencyStore(DEFAULT_MAX_RECORDS);
    }

    /**
     * Creates a store holding at most {@code maxRecords} records (in progress and completed).
     *
     * @param maxRecords at least 1
     * @return a new, empty store
     * @throws IllegalArgumentException if {@code maxRecords} is less than 1
     */
    public static InMemoryIdempotencyStore create(int maxRecords) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be at least 1, was " + maxRecords);
        }
        return new InMemoryIdempotencyStore(maxRecords);
    }

    @Override
    public ClaimResult claim(String key, byte[] fingerprint, String claimToken, Duration inProgressTimeout) {
        long now = System.nanoTime();
        Entry mine = new Entry(fingerprint, claimToken, null, null, now + inProgressTimeout.toNanos());
        while (true) {
            Entry old = records.get(key);
            if (old == null) {
                ensureRoom(key, now);
                if (records.putIfAbsent(key, mine) == null) {
                    return ClaimResult.claimed(false);
                }
            } else if (!old.expired(now)) {
                return old.asFound();
            } else if (records.replace(key, old, mine)) {
                return ClaimResult.claimed(old.inProgress());
            }
            // Lost a race with another change to this key: decide again from what is there now.
        }
    }

    @Override
    public boolean complete(String key, String claimToken, StoredOutcome outcome, byte[] payload, Duration retention) {
        Entry old = records.get(key);
        if (old == null || !old.heldBy(claimToken)) {
            return false;
        }
        Entry done = new Entry(old.fingerprint, null, outcome, payload.clone(), System.nanoTime() + retention.toNanos());
        // Only this token's holder changes a record it holds, so a failed CAS means a takeover won.
        return records.replace(key, old, done);
    }

    @Override
    public boolean release(String key, String claimToken) {
        Entry old = records.get(key);
        return old != null && old.heldBy(claimToken) && records.remove(key, old);
    }

    /**
     * The number of records held, live or expired but not yet swept.
     *
     * @return the current count
     */
    public int size() {
        return records.size();
    }

    private void ensureRoom(String key, long now) {
        if (records.size() < maxRecords) {
            return;
        }
        for (Map.Entry<String, Entry> e : records.entrySet()) {
            if (e.getValue().expired(now)) {
                records.remove(e.getKey(), e.getValue());
            }
        }
        if (records.size() >= maxRecords) {
            throw new IdempotencyBackendException(key, "in-memory idempotency store is full: " + records.size()
                    + " live records, limit " + maxRecords, null);
        }
    }

    @Override
    public String toString() {
        return "InMemoryIdempotencyStore{records=" + records.size() + ", maxRecords=" + maxRecords + '}';
    }

    /**
     * One immutable record. Identity equality on purpose: the map's compare-and-set must compare
     * against the exact record a decision was based on.
     */
    private static final class Entry {
        final byte[] fingerprint;
        final String claimToken;
        final StoredOutcome outcome;
        final byte[] payload;
        final long deadlineNanos;

        Entry(byte[] fingerprint, String claimToken, StoredOutcome outcome, byte[] payload, long deadlineNanos) {
            this.fingerprint = fingerprint;
            this.claimToken = claimToken;
            this.outcome = outcome;
            this.payload = payload;
            this.deadlineNanos = deadlineNanos;
        }

        boolean inProgress() {
            return outcome == null;
        }

        boolean heldBy(String token) {
            return inProgress() && claimToken.equals(token);
        }

        boolean expired(long now) {
            return now - deadlineNanos >= 0;
        }

        ClaimResult asFound() {
            return inProgress() ? ClaimResult.inProgress(fingerprint) : ClaimResult.completed(fingerprint, outcome, payload);
        }
    }
}
