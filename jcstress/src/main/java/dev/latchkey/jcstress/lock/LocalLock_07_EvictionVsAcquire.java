package dev.latchkey.jcstress.lock;

import dev.latchkey.lock.LocalLockProvider;
import dev.latchkey.lock.LockLease;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZI_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link LocalLockProvider}: idle-entry eviction racing acquire, the classic keyed-lock-map bug.
 * A holder releases (which evicts the name's entry from the table, so memory stays bounded with
 * millions of names) and at once acquires again, re-creating the entry, while a second owner
 * acquires the same name.
 *
 * <p>In the buggy pattern an owner looks up a per-name lock object, the entry is evicted and
 * re-created, and two owners end up holding two different objects for one name. Here, after
 * both actors, exactly one of them must hold the name, and its fencing token must be above the
 * evicted holder's. Two holders, no holder, or a token that went back is {@code FORBIDDEN}.
 *
 * <p>Result: (holder re-acquired, second owner acquired, holders after both, counting a third
 * owner's probe if it gets in; -1 when a fencing token did not increase across the eviction).
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t LocalLock_07 -m quick}
 */
@JCStressTest
@Outcome(id = {"true, false, 1", "false, true, 1"}, expect = ACCEPTABLE, desc = "Exactly one holder after the eviction.")
@Outcome(id = {"true, true, 2", "true, false, 2", "false, true, 2"}, expect = FORBIDDEN, desc = "Two holders after the eviction: the keyed-lock-map bug.")
@Outcome(id = {"true, false, -1", "false, true, -1"}, expect = FORBIDDEN, desc = "The fencing token did not increase across the eviction.")
@Outcome(expect = FORBIDDEN, desc = "No holder, or the holders and their grants disagree.")
@State
public class LocalLock_07_EvictionVsAcquire {
    private final String name = LocalLocks.freshName("evict");
    private final LockLease evicted = LocalLocks.acquireFree(name, LocalLocks.LONG_LEASE);
    private LockLease again;
    private LockLease other;

    @Actor
    public void releaseAndReacquire(ZZI_Result r) {
        evicted.release();
        again = LocalLocks.tryAcquire(name);
        r.r1 = again != null;
    }

    @Actor
    public void secondOwner(ZZI_Result r) {
        other = LocalLocks.tryAcquire(name);
        r.r2 = other != null;
    }

    @Arbiter
    public void count(ZZI_Result r) {
        int holders = 0;
        boolean increasing = true;
        for (LockLease lease : new LockLease[] {again, other}) {
            if (lease != null && lease.isHeld()) {
                holders++;
                increasing &= lease.fencingToken() > evicted.fencingToken();
            }
        }
        // A third owner's probe: if it gets in, it is one more holder of the name.
        LockLease probe = LocalLocks.tryAcquire(name);
        if (probe != null) {
            holders++;
        }
        r.r3 = increasing ? holders : -1;
        LocalLocks.releaseAll(again, other, probe);
    }
}
