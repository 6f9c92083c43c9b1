package dev.latchkey.jcstress.lock;

import dev.latchkey.lock.LocalLockProvider;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the {@link LocalLockProvider} harnesses share: one provider per JVM (jcstress forks a JVM
 * per harness and configuration), as an application would have, and a fresh lock name for every
 * jcstress sample so that samples never see each other's grants.
 *
 * <p>Sharing one provider also means its table grows and shrinks under the harnesses the way it
 * does in production: released grants are evicted at once and expired ones are swept, while
 * other samples acquire.
 */
final class LocalLocks {

    static final LocalLockProvider PROVIDER = new LocalLockProvider();

    /** A lease long enough that it never expires during a sample. */
    static final LockOptions LONG_LEASE = LockOptions.builder().leaseTime(Duration.ofSeconds(30)).build();

    private static final AtomicLong NAMES = new AtomicLong();

    private LocalLocks() {
    }

    /** A name no other sample uses. */
    static String freshName(String prefix) {
        return prefix + ":" + NAMES.incrementAndGet();
    }

    /** Acquires {@code name} without waiting; fails loudly if it is unexpectedly held. */
    static LockLease acquireFree(String name, LockOptions options) {
        return PROVIDER.lock(name, options).tryAcquire()
                .orElseThrow(() -> new IllegalStateException("fresh lock name " + name + " was already held"));
    }

    /** One attempt on {@code name}: the lease, or null when another owner holds it. */
    static LockLease tryAcquire(String name) {
        Optional<LockLease> lease = PROVIDER.lock(name, LONG_LEASE).tryAcquire();
        return lease.orElse(null);
    }

    /** Releases every non-null lease; the arbiter's clean-up, so grants never pile up. */
    static void releaseAll(LockLease... leases) {
        for (LockLease lease : leases) {
            if (lease != null) {
                lease.release();
            }
        }
    }
}
