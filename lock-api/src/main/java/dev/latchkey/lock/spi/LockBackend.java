package dev.latchkey.lock.spi;

import java.time.Duration;
import java.util.List;

/**
 * What a lock backend implements: single attempts that never wait for another holder. Everything
 * else a {@link dev.latchkey.lock.LockProvider} promises (waiting woken by releases, safe
 * deadlines, auto-renewal, lost-lease listeners, metrics, multi-lock rollback, validation) is
 * shared by {@link BackendLockProvider}, so every backend keeps the same semantics.
 *
 * <p>Every method may throw {@link dev.latchkey.lock.LockBackendException} when the backend cannot
 * be reached or fails; none may report such a failure as contention. Names arrive validated.
 * Implementations are thread-safe.
 *
 * @since 0.1
 */
public interface LockBackend extends AutoCloseable {

    /**
     * One attempt to grant {@code name} to {@code ownerToken} for {@code leaseTime} on the
     * backend's clock. On success the fencing token is strictly larger than every earlier grant's
     * for that name.
     *
     * @return {@link AcquireResult#acquired} or {@link AcquireResult#held}
     */
    AcquireResult tryAcquire(String name, String ownerToken, Duration leaseTime);

    /**
     * One all-or-nothing attempt over {@code names} (distinct, in canonical order), when the
     * backend can do it atomically (one Redis script on one slot, say). The default returns
     * {@code null}, meaning "not supported here": the caller then takes the names one by one in
     * order and rolls back on the first one that is held.
     *
     * @return {@code null}, or {@link AcquireResult#acquiredAll} / {@link AcquireResult#held}
     */
    default AcquireResult tryAcquireAll(List<String> names, String ownerToken, Duration leaseTime) {
        return null;
    }

    /**
     * Whether this backend waits for a holder in its own queue (a database row lock waits in the
     * database's lock manager, which hands the lock to the next waiter the moment it is freed).
     * When true, a bounded wait on a single name calls {@link #tryAcquireWaiting} instead of
     * sleeping between {@link #tryAcquire} attempts. Default false.
     */
    default boolean waitsOnBackend() {
        return false;
    }

    /**
     * One attempt that may wait on the backend, up to {@code maxWaitNanos}, for the holder to let
     * go. Called only when {@link #waitsOnBackend()} is true, for a single name, after a failed
     * {@link #tryAcquire}. It should return within a fraction of a second even when the wait is
     * longer (the caller attempts again), so that an interrupt or a closed provider is noticed
     * promptly. When it returns {@link AcquireResult#held}, its {@code remainingMillis} (if
     * positive) is how long the caller pauses before the next attempt.
     *
     * <p>The default makes a single {@link #tryAcquire}.
     *
     * @return {@link AcquireResult#acquired} or {@link AcquireResult#held}
     */
    default AcquireResult tryAcquireWaiting(String name, String ownerToken, Duration leaseTime, long maxWaitNanos) {
        return tryAcquire(name, ownerToken, leaseTime);
    }

    /**
     * Releases the grant if {@code ownerToken} still holds it, and wakes waiters.
     *
     * @param handle the {@link AcquireResult#handle()} of the grant
     * @return true if the grant was held and is now released; false if it was already gone
     */
    boolean release(String name, String ownerToken, Object handle);

    /**
     * Sets the remaining lease of the grant to {@code leaseTime} if {@code ownerToken} still holds it.
     *
     * @return true if extended; false if the grant is gone (expired or taken)
     */
    boolean extend(String name, String ownerToken, Object handle, Duration leaseTime);

    /**
     * How waiters learn that a name may be free. The default never signals: waiters then sleep
     * until the holder's remaining lease runs out, capped by the provider's poll interval.
     */
    default ReleaseSignals releaseSignals() {
        return ReleaseSignals.NONE;
    }

    /** Frees what the backend owns (subscriptions, connections it opened). Idempotent. */
    @Override
    void close();
}
