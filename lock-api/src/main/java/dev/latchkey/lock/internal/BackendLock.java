package dev.latchkey.lock.internal;

import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.lock.LockTimeoutException;
import dev.latchkey.lock.spi.AcquireResult;
import dev.latchkey.lock.spi.BackendLockProvider;
import dev.latchkey.lock.spi.LockBackend;
import dev.latchkey.lock.spi.LockValidation;
import dev.latchkey.lock.spi.ReleaseSignals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A lock over one name, or over several names taken all or nothing, on a {@link LockBackend}.
 * Holds no state between calls: every acquire makes a new owner token.
 */
public final class BackendLock implements DistributedLock {

    private static final Logger log = LoggerFactory.getLogger(BackendLock.class);

    private final BackendLockProvider provider;
    private final String name;
    private final List<String> names;
    private final LockOptions options;

    public BackendLock(BackendLockProvider provider, String name, List<String> names, LockOptions options) {
        this.provider = provider;
        this.name = name;
        this.names = names;
        this.options = options;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<LockLease> tryAcquire() {
        provider.ensureOpen();
        long start = System.nanoTime();
        String owner = BackendLockProvider.newOwnerToken();
        Attempt attempt = attempt(owner);
        if (attempt.lease != null) {
            provider.metrics().acquired(name, System.nanoTime() - start);
            return Optional.of(attempt.lease);
        }
        provider.metrics().contended(name);
        return Optional.empty();
    }

    @Override
    public Optional<LockLease> tryAcquire(Duration maxWait) throws InterruptedException {
        LockValidation.notNegative(maxWait, "maxWait");
        provider.ensureOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long start = System.nanoTime();
        long deadline = start + saturatedNanos(maxWait);
        String owner = BackendLockProvider.newOwnerToken();
        ReleaseSignals signals = provider.backend().releaseSignals();
        Attempt attempt = null;
        String subscribed;
        if (maxWait.isZero() || !signals.subscribeBeforeFirstAttempt()) {
            attempt = attempt(owner);
            if (attempt.lease != null) {
                provider.metrics().acquired(name, System.nanoTime() - start);
                return Optional.of(attempt.lease);
            }
            provider.metrics().contended(name);
            if (deadline - System.nanoTime() <= 0) {
                provider.metrics().timedOut(name, System.nanoTime() - start);
                return Optional.empty();
            }
            if (names.size() == 1 && provider.backend().waitsOnBackend()) {
                return waitOnBackend(owner, start, deadline);
            }
            subscribed = blockingName(attempt.result);
        } else {
            // Subscribing is free on this backend: do it first, so the first attempt already
            // counts as a waiter's (on a hand-off backend: it queues), one round trip saved.
            subscribed = names.get(0);
        }
        boolean firstAttempt = attempt == null;
        ReleaseSignals.Subscription subscription = signals.subscribe(subscribed, owner);
        boolean switched = false;
        try {
            while (true) {
                // Attempt again after subscribing (and after every wake-up): a release that landed
                // between the failed attempt and the subscription would otherwise be missed until
                // the lease ran out. A signal consumed by await() is always followed by an attempt
                // or by taking the grant it brought, so a wake-one backend never loses a wake-up to
                // a waiter that gives up.
                attempt = attempt(owner);
                if (attempt.lease != null) {
                    long waited = System.nanoTime() - start;
                    provider.metrics().acquired(name, waited);
                    if (log.isDebugEnabled() && !firstAttempt) {
                        log.debug("acquired '{}' after waiting {} us (fencing token {})",
                                name, waited / 1_000, attempt.lease.fencingToken());
                    }
                    return Optional.of(attempt.lease);
                }
                if (firstAttempt) {
                    provider.metrics().contended(name);
                    firstAttempt = false;
                }
                provider.ensureOpen();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    provider.metrics().timedOut(name, System.nanoTime() - start);
                    log.debug("gave up on '{}' after {}: {}", name, maxWait, attempt.result);
                    return Optional.empty();
                }
                String blocker = blockingName(attempt.result);
                if (!switched && !blocker.equals(subscribed)) {
                    // A multi-lock blocked on another name: listen there instead, then retry first.
                    // Only once per sleep, so holders that keep changing cannot make this spin.
                    subscription.close();
                    subscribed = blocker;
                    subscription = signals.subscribe(subscribed, owner);
                    switched = true;
                    continue;
                }
                switched = false;
                if (subscription.await(Math.min(left, sleepNanos(attempt.result.remainingMillis())))) {
                    ManagedLease granted = handedOver(subscription, owner, attempt.sentAt);
                    if (granted != null) {
                        provider.metrics().acquired(name, System.nanoTime() - start);
                        return Optional.of(granted);
                    }
                }
            }
        } finally {
            subscription.close();
        }
    }

    /**
     * The backend queues waiters itself (a row lock): hand it the remaining wait, one short slice
     * per call, checking for an interrupt and a closed provider between slices.
     */
    private Optional<LockLease> waitOnBackend(String owner, long start, long deadline) throws InterruptedException {
        LockBackend backend = provider.backend();
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            provider.ensureOpen();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                provider.metrics().timedOut(name, System.nanoTime() - start);
                return Optional.empty();
            }
            long sentAt = System.nanoTime();
            AcquireResult r = backend.tryAcquireWaiting(name, owner, options.leaseTime(), left);
            if (r.isAcquired()) {
                Map<String, Object> handles = new LinkedHashMap<>();
                handles.put(name, r.handle());
                provider.metrics().acquired(name, System.nanoTime() - start);
                return Optional.of(open(owner, Map.of(name, r.fencingToken()), handles, sentAt));
            }
            if (r.remainingMillis() > 0) {
                long pause = Math.min(deadline - System.nanoTime(), r.remainingMillis() * 1_000_000L);
                if (pause > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(pause);
                }
            }
        }
    }

    /**
     * The lease of a grant the backend handed straight to this waiter, or null to attempt again.
     * The grant was made after the latest attempt was sent, so that send time is a safe start for
     * the lease; when it lies more than a quarter of the lease back, an attempt (which confirms the
     * grant for a full lease) is worth its round trip.
     */
    private ManagedLease handedOver(ReleaseSignals.Subscription subscription, String owner, long lastSentAt) {
        AcquireResult grant = subscription.handedOver();
        if (grant == null || names.size() != 1
                || System.nanoTime() - lastSentAt > options.leaseTime().toNanos() / 4) {
            return null;
        }
        Map<String, Object> handles = new LinkedHashMap<>();
        handles.put(name, grant.handle());
        return open(owner, Map.of(name, grant.fencingToken()), handles, lastSentAt);
    }

    private String blockingName(AcquireResult result) {
        String held = result.heldName();
        return held != null ? held : names.get(0);
    }

    @Override
    public LockLease acquire(Duration maxWait) throws InterruptedException {
        return tryAcquire(maxWait).orElseThrow(() -> new LockTimeoutException(
                "lock '" + name + "' was still held by another owner after waiting " + maxWait));
    }

    /** Sleep until the holder's lease runs out (plus a little), capped by a jittered poll interval. */
    private long sleepNanos(long remainingMillis) {
        long cap = provider.maxPollNanos();
        long jittered = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
        if (remainingMillis >= 0) {
            long untilExpiry = (remainingMillis + 1) * 1_000_000L;
            return Math.max(100_000L, Math.min(untilExpiry, jittered));
        }
        return jittered;
    }

    private Attempt attempt(String owner) {
        Duration leaseTime = options.leaseTime();
        LockBackend backend = provider.backend();
        long sentAt = System.nanoTime();
        if (names.size() == 1) {
            AcquireResult r = backend.tryAcquire(names.get(0), owner, leaseTime);
            if (!r.isAcquired()) {
                return new Attempt(r, null, sentAt);
            }
            Map<String, Long> tokens = Map.of(name, r.fencingToken());
            Map<String, Object> handles = new LinkedHashMap<>();
            handles.put(name, r.handle());
            return new Attempt(r, open(owner, tokens, handles, sentAt), sentAt);
        }
        AcquireResult all = backend.tryAcquireAll(names, owner, leaseTime);
        if (all != null) {
            if (!all.isAcquired()) {
                return new Attempt(all, null, sentAt);
            }
            Map<String, Object> handles = new LinkedHashMap<>();
            for (String n : names) {
                handles.put(n, all.handle());
            }
            return new Attempt(all, open(owner, ordered(all.fencingTokens()), handles, sentAt), sentAt);
        }
        // One by one in canonical order; on the first held name, give back what was taken.
        Map<String, Long> tokens = new LinkedHashMap<>();
        Map<String, Object> handles = new LinkedHashMap<>();
        for (String n : names) {
            AcquireResult r;
            try {
                r = backend.tryAcquire(n, owner, leaseTime);
            } catch (RuntimeException e) {
                rollback(owner, handles, e);
                throw e;
            }
            if (!r.isAcquired()) {
                rollback(owner, handles, null);
                return new Attempt(r, null, sentAt);
            }
            tokens.put(n, r.fencingToken());
            handles.put(n, r.handle());
        }
        return new Attempt(AcquireResult.acquiredAll(tokens, null), open(owner, tokens, handles, sentAt), sentAt);
    }

    private Map<String, Long> ordered(Map<String, Long> tokens) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, tokens.get(n));
        }
        return out;
    }

    /** Gives back every name taken so far, in reverse order; one failed release does not stop the others. */
    private void rollback(String owner, Map<String, Object> taken, RuntimeException failure) {
        List<String> reversed = new ArrayList<>(taken.keySet());
        java.util.Collections.reverse(reversed);
        RuntimeException first = failure;
        for (String n : reversed) {
            try {
                provider.backend().release(n, owner, taken.get(n));
            } catch (RuntimeException e) {
                // The grant frees itself when its lease runs out; report the first failure.
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (failure == null && first != null) {
            throw first;
        }
    }

    private ManagedLease open(String owner, Map<String, Long> tokens, Map<String, Object> handles, long sentAt) {
        ManagedLease lease = new ManagedLease(provider, name, owner, tokens, handles, options, sentAt);
        provider.leaseOpened(lease);
        if (provider.isClosed()) {
            // close() ran while this attempt was in flight and cannot have seen the lease: give
            // it back rather than leak a grant nobody will release.
            lease.releaseQuietly();
            provider.ensureOpen();
        }
        lease.startRenewal();
        return lease;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    private record Attempt(AcquireResult result, ManagedLease lease, long sentAt) {
    }

    @Override
    public String toString() {
        return "DistributedLock[" + name + "]";
    }
}
