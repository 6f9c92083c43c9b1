package dev.latchkey.jcstress.lock;

import dev.latchkey.lock.LocalLockProvider;
import dev.latchkey.lock.LockLease;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import java.util.List;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link LocalLockProvider#lockAll}: two owners try, without waiting, to take the same two names
 * listed in opposite orders ({@code [a, b]} and {@code [b, a]}).
 *
 * <p>Probes all-or-nothing in one canonical order. Both winning means two holders of both
 * names. Both losing is what happens when each takes its first name and fails on the other's
 * (the owners listed them in opposite orders): with one canonical order the first name is the
 * same for both, so one of them always wins.
 *
 * <p>Result: (owner 1 holds both, owner 2 holds both).
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t LocalLock_05 -m quick}
 */
@JCStressTest
@Outcome(id = {"true, false", "false, true"}, expect = ACCEPTABLE, desc = "Exactly one owner holds both names.")
@Outcome(id = "true, true", expect = FORBIDDEN, desc = "Mutex failure: both owners hold the overlapping names.")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "Both lost: the names were not taken in one canonical order.")
@State
public class LocalLock_05_LockAllOppositeOrder {
    private final String a = LocalLocks.freshName("all-a");
    private final String b = LocalLocks.freshName("all-b");
    private LockLease first;
    private LockLease second;

    @Actor
    public void owner1(ZZ_Result r) {
        first = LocalLocks.PROVIDER.lockAll(List.of(a, b), LocalLocks.LONG_LEASE).tryAcquire().orElse(null);
        r.r1 = first != null;
    }

    @Actor
    public void owner2(ZZ_Result r) {
        second = LocalLocks.PROVIDER.lockAll(List.of(b, a), LocalLocks.LONG_LEASE).tryAcquire().orElse(null);
        r.r2 = second != null;
    }

    @Arbiter
    public void cleanUp(ZZ_Result r) {
        LocalLocks.releaseAll(first, second);
    }
}
