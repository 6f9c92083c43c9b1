package dev.latchkey.lock.spi;

import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one {@link LockBackend} attempt: acquired (with its fencing token and an optional
 * backend handle, such as the connection of a row lock), or held by another owner (with the
 * holder's remaining lease when the backend knows it, so a waiter sleeps that long at most).
 *
 * @since 0.1
 */
public final class AcquireResult {

    /** The remaining lease when the backend did not say. */
    public static final long UNKNOWN_REMAINING = -1;

    private final boolean acquired;
    private final long fencingToken;
    private final Map<String, Long> fencingTokens;
    private final Object handle;
    private final long remainingMillis;
    private final String heldName;

    private AcquireResult(boolean acquired, long fencingToken, Map<String, Long> fencingTokens,
                          Object handle, long remainingMillis, String heldName) {
        this.acquired = acquired;
        this.fencingToken = fencingToken;
        this.fencingTokens = fencingTokens;
        this.handle = handle;
        this.remainingMillis = remainingMillis;
        this.heldName = heldName;
    }

    /** Granted with {@code fencingToken}; {@code handle} (may be null) is passed back to release and extend. */
    public static AcquireResult acquired(long fencingToken, Object handle) {
        return new AcquireResult(true, fencingToken, null, handle, UNKNOWN_REMAINING, null);
    }

    /** Every name granted, each with its fencing token, in canonical order. */
    public static AcquireResult acquiredAll(Map<String, Long> fencingTokens, Object handle) {
        Objects.requireNonNull(fencingTokens, "fencingTokens");
        long first = fencingTokens.values().iterator().next();
        return new AcquireResult(true, first, Map.copyOf(fencingTokens), handle, UNKNOWN_REMAINING, null);
    }

    /**
     * Held by another owner.
     *
     * @param heldName the name found held (for a multi-lock, the one that blocked)
     * @param remainingMillis the holder's remaining lease, or {@link #UNKNOWN_REMAINING}
     */
    public static AcquireResult held(String heldName, long remainingMillis) {
        return new AcquireResult(false, 0, null, null, remainingMillis, heldName);
    }

    /** Whether the attempt was granted. */
    public boolean isAcquired() {
        return acquired;
    }

    /** The fencing token of the grant (for a multi-lock, the first name's). */
    public long fencingToken() {
        return fencingToken;
    }

    /** Per-name tokens of an {@link #acquiredAll} grant, else null. */
    public Map<String, Long> fencingTokens() {
        return fencingTokens;
    }

    /** The backend's handle of the grant, or null. */
    public Object handle() {
        return handle;
    }

    /** The holder's remaining lease in ms, or {@link #UNKNOWN_REMAINING}. */
    public long remainingMillis() {
        return remainingMillis;
    }

    /** The name found held, or null when acquired. */
    public String heldName() {
        return heldName;
    }

    @Override
    public String toString() {
        return acquired ? "acquired[fencingToken=" + fencingToken + "]"
                : "held[" + heldName + ", remainingMillis=" + remainingMillis + "]";
    }
}
