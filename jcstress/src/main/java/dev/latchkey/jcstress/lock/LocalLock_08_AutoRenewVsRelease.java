package dev.latchkey.jcstress.lock;

import dev.latchkey.lock.LocalLockProvider;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

import java.time.Duration;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link LocalLockProvider}: auto-renewal racing {@code release()} (Redisson #7272: a renewal
 * that outlives the release keeps a released lock alive).
 *
 * <p>The lease is auto-renewed (30 ms lease, renewed every 10 ms by the shared scheduler, which
 * runs in the background for every live sample), and one actor runs the renewal's extension
 * ({@code extend}, the same backend call the scheduler makes) at the moment the other releases,
 * since the scheduler's timing cannot be aligned with the actors. Whatever the order, after the
 * release the lease must say it is not held and another owner must be able to take the lock.
 *
 * <p>Result: (the racing renewal succeeded, lease still says held after both, another owner could
 * take the lock afterwards).
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t LocalLock_08 -m quick}
 */
@JCStressTest
@Outcome(id = "true, false, true", expect = ACCEPTABLE, desc = "Renewed before the release; released, free.")
@Outcome(id = "false, false, true", expect = ACCEPTABLE, desc = "The renewal came after the release and did nothing.")
@Outcome(id = {"true, false, false", "false, false, false"}, expect = FORBIDDEN, desc = "The renewal outlived the release: the lock is still taken.")
@Outcome(expect = FORBIDDEN, desc = "A released lease still says it is held.")
@State
public class LocalLock_08_AutoRenewVsRelease {
    private static final Duration LEASE = Duration.ofMillis(30);
    private static final LockOptions AUTO_RENEW = LockOptions.builder().leaseTime(LEASE).autoRenew(true).build();

    private final LockLease lease = LocalLocks.acquireFree(LocalLocks.freshName("renew"), AUTO_RENEW);

    @Actor
    public void release() {
        lease.release();
    }

    @Actor
    public void renew(ZZZ_Result r) {
        r.r1 = lease.extend(LEASE);
    }

    @Arbiter
    public void probe(ZZZ_Result r) {
        r.r2 = lease.isHeld();
        LockLease probe = LocalLocks.tryAcquire(lease.name());
        r.r3 = probe != null;
        LocalLocks.releaseAll(probe);
    }
}
