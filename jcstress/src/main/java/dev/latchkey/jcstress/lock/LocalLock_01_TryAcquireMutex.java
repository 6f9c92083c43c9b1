package dev.latchkey.jcstress.lock;

import dev.latchkey.lock.LocalLockProvider;
import dev.latchkey.lock.LockLease;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Mutual exclusion of {@link LocalLockProvider}: two owners call {@code tryAcquire()} on one free
 * name at the same moment.
 *
 * <p>Probes the grant itself: exactly one attempt wins. Both winning is a mutex failure; both
 * losing means a free lock refused everyone (an attempt that fails without a holder).
 *
 * <p>Result: (owner 1 holds, owner 2 holds).
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t LocalLock_01 -m quick}
 */
@JCStressTest
@Outcome(id = {"true, false", "false, true"}, expect = ACCEPTABLE, desc = "Exactly one owner holds the lock.")
@Outcome(id = "true, true", expect = FORBIDDEN, desc = "Mutex failure: both owners hold the lock.")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "A free lock refused both owners.")
@State
public class LocalLock_01_TryAcquireMutex {
    private final String name = LocalLocks.freshName("mutex");
    private LockLease first;
    private LockLease second;

    @Actor
    public void owner1(ZZ_Result r) {
        first = LocalLocks.tryAcquire(name);
        r.r1 = first != null;
    }

    @Actor
    public void owner2(ZZ_Result r) {
        second = LocalLocks.tryAcquire(name);
        r.r2 = second != null;
    }

    @Arbiter
    public void cleanUp(ZZ_Result r) {
        LocalLocks.releaseAll(first, second);
    }
}
