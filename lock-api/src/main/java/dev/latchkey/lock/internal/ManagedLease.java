package dev.latchkey.lock.internal;

import dev.latchkey.lock.LockBackendException;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockLostException;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.lock.spi.BackendLockProvider;
import dev.latchkey.lock.spi.LockValidation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A grant on a backend: its owner token, fencing tokens, backend handles and safe deadline, and
 * its auto-renewal. State moves HELD to RELEASED or LOST once; only the first move does I/O or
 * tells the listener.
 */
public final class ManagedLease implements LockLease {

    private static final Logger log = LoggerFactory.getLogger(ManagedLease.class);

    private static final int HELD = 0;
    private static final int RELEASED = 1;
    private static final int LOST = 2;

    private final BackendLockProvider provider;
    private final String name;
    private final String ownerToken;
    private final Map<String, Long> fencingTokens;
    private final Map<String, Object> handles;
    private final LockOptions options;
    private final long fencingToken;
    private final AtomicInteger state = new AtomicInteger(HELD);
    private volatile long safeDeadlineNanos;
    private volatile Future<?> renewal;

    ManagedLease(BackendLockProvider provider, String name, String ownerToken, Map<String, Long> fencingTokens,
                 Map<String, Object> handles, LockOptions options, long requestSentNanos) {
        this.provider = provider;
        this.name = name;
        this.ownerToken = ownerToken;
        this.fencingTokens = Collections.unmodifiableMap(fencingTokens);
        this.handles = handles;
        this.options = options;
        this.fencingToken = fencingTokens.values().iterator().next();
        this.safeDeadlineNanos = safeDeadline(requestSentNanos, options.leaseTime());
    }

    /**
     * The backend's lease started at the latest when the request was sent; subtract a drift
     * margin (1% of the lease plus 2 ms, as Redlock does) for clock-rate differences.
     */
    static long safeDeadline(long requestSentNanos, Duration leaseTime) {
        long lease = leaseTime.toNanos();
        long drift = lease / 100 + 2_000_000L;
        return requestSentNanos + lease - drift;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String ownerToken() {
        return ownerToken;
    }

    @Override
    public long fencingToken() {
        return fencingToken;
    }

    @Override
    public Map<String, Long> fencingTokens() {
        return fencingTokens;
    }

    /** The backend handle of {@code lockName} in this grant (a row lock's connection, say), or null. */
    public Object handle(String lockName) {
        return handles.get(lockName);
    }

    @Override
    public boolean isHeld() {
        return state.get() == HELD && System.nanoTime() - safeDeadlineNanos < 0;
    }

    @Override
    public void ensureHeld() {
        if (!isHeld()) {
            int s = state.get();
            String why = s == RELEASED ? "it was released" : s == LOST ? "it was lost" : "its lease ran out";
            throw new LockLostException("lease of '" + name + "' (fencing token " + fencingToken
                    + ") is no longer held: " + why);
        }
    }

    @Override
    public boolean extend(Duration leaseTime) {
        LockValidation.leaseTime(leaseTime);
        if (state.get() != HELD) {
            return false;
        }
        return extendOnBackend(leaseTime);
    }

    private boolean extendOnBackend(Duration leaseTime) {
        long sentAt = System.nanoTime();
        boolean all = true;
        for (Map.Entry<String, Object> e : handles.entrySet()) {
            all &= provider.backend().extend(e.getKey(), ownerToken, e.getValue(), leaseTime);
        }
        if (all) {
            safeDeadlineNanos = safeDeadline(sentAt, leaseTime);
            return true;
        }
        markLost(new LockLostException("lease of '" + name + "' (fencing token " + fencingToken
                + ") was gone when extended: it expired or another owner took it"));
        return false;
    }

    @Override
    public void release() {
        if (!state.compareAndSet(HELD, RELEASED) && !state.compareAndSet(LOST, RELEASED)) {
            return;
        }
        // Stop renewing before the backend call, so a renewal never outlives the release.
        cancelRenewal();
        provider.leaseClosed(this);
        List<String> reversed = new ArrayList<>(handles.keySet());
        Collections.reverse(reversed);
        LockBackendException failure = null;
        for (String n : reversed) {
            try {
                if (!provider.backend().release(n, ownerToken, handles.get(n))) {
                    provider.metrics().leaseExpired(n);
                    log.debug("release of '{}' found the grant already gone (fencing token {})", n, fencingToken);
                }
            } catch (LockBackendException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Frees this grant on the backend without changing this lease's state, as an operator, a
     * dropped connection or a forced expiry would. The lease learns of it at its next
     * {@link #extend} or renewal, which then reports it lost. The lock contract uses it to prove
     * that lost leases are detected; applications have no reason to call it.
     */
    public void revokeOnBackend() {
        List<String> reversed = new ArrayList<>(handles.keySet());
        Collections.reverse(reversed);
        for (String n : reversed) {
            provider.backend().release(n, ownerToken, handles.get(n));
        }
    }

    /** Releases, logging instead of throwing; used when the provider closes. */
    public void releaseQuietly() {
        try {
            release();
        } catch (RuntimeException e) {
            log.debug("release of '{}' failed while closing the provider", name, e);
        }
    }

    void startRenewal() {
        if (options.autoRenew()) {
            scheduleRenewal(options.leaseTime().toNanos() / 3);
        }
    }

    private void scheduleRenewal(long delayNanos) {
        renewal = LeaseRenewer.schedule(this::renew, delayNanos);
        if (state.get() != HELD) {
            cancelRenewal();
        }
    }

    private void renew() {
        if (state.get() != HELD) {
            return;
        }
        Duration leaseTime = options.leaseTime();
        try {
            if (extendOnBackend(leaseTime)) {
                if (state.get() == HELD) {
                    scheduleRenewal(leaseTime.toNanos() / 3);
                }
            }
        } catch (RuntimeException e) {
            if (System.nanoTime() - safeDeadlineNanos >= 0) {
                markLost(e);
            } else {
                // The backend may come back before the safe deadline: try again sooner.
                log.debug("renewal of '{}' failed, retrying", name, e);
                scheduleRenewal(Math.max(1_000_000L, leaseTime.toNanos() / 10));
            }
        }
    }

    private void markLost(Throwable cause) {
        if (!state.compareAndSet(HELD, LOST)) {
            return;
        }
        cancelRenewal();
        provider.leaseClosed(this);
        provider.metrics().leaseLost(name);
        log.debug("lease of '{}' (fencing token {}) lost", name, fencingToken, cause);
        try {
            options.leaseLostListener().leaseLost(this, cause);
        } catch (RuntimeException e) {
            log.warn("lease-lost listener of '{}' threw", name, e);
        }
    }

    private void cancelRenewal() {
        Future<?> f = renewal;
        if (f != null) {
            f.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "LockLease[" + name + ", fencingToken=" + fencingToken + ", held=" + isHeld() + "]";
    }
}
