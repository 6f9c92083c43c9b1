package dev.latchkey.jcstress.lock;

import dev.latchkey.lock.LocalLockProvider;
import dev.latchkey.lock.LockLease;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link LocalLockProvider}: a holder's {@code release()} racing another owner's
 * {@code tryAcquire()} on the same name.
 *
 * <p>Probes the hand-over: the newcomer either fails (it came before the release) or wins (after
 * it). Afterwards a third owner's probe tells whether the lock is in the state those outcomes
 * imply: held by the newcomer, or free. A release that lands on the newcomer's grant, or a
 * release that leaves the name stuck, is {@code FORBIDDEN}.
 *
 * <p>Result: (newcomer won, newcomer still holds after both, a probe by a third owner won).
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t LocalLock_02 -m quick}
 */
@JCStressTest
@Outcome(id = "true, true, false", expect = ACCEPTABLE, desc = "The newcomer came after the release and holds the lock.")
@Outcome(id = "false, false, true", expect = ACCEPTABLE, desc = "The newcomer came before the release; the lock is free now.")
@Outcome(id = "true, true, true", expect = FORBIDDEN, desc = "Two holders: the probe won while the newcomer held the lock.")
@Outcome(id = "true, false, true", expect = FORBIDDEN, desc = "The old holder's release removed the newcomer's grant.")
@Outcome(id = "false, false, false", expect = FORBIDDEN, desc = "Released, yet nobody can take the lock.")
@Outcome(expect = FORBIDDEN, desc = "Inconsistent lock state.")
@State
public class LocalLock_02_ReleaseVsAcquire {
    private final String name = LocalLocks.freshName("release");
    private final LockLease holder = LocalLocks.acquireFree(name, LocalLocks.LONG_LEASE);
    private LockLease newcomer;

    @Actor
    public void holderReleases() {
        holder.release();
    }

    @Actor
    public void newcomerTries(ZZZ_Result r) {
        newcomer = LocalLocks.tryAcquire(name);
        r.r1 = newcomer != null;
    }

    @Arbiter
    public void probe(ZZZ_Result r) {
        r.r2 = newcomer != null && newcomer.isHeld();
        LockLease probe = LocalLocks.tryAcquire(name);
        r.r3 = probe != null;
        LocalLocks.releaseAll(newcomer, probe);
    }
}
