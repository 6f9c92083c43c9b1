package dev.latchkey.jcstress.lock;

import dev.latchkey.lock.LocalLockProvider;
import dev.latchkey.lock.LockLease;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link LocalLockProvider}: fencing tokens of successive holders of one name. Two owners each
 * try once, and a winner notes its place in the holding order, then releases, so both can hold
 * the lock one after the other.
 *
 * <p>Probes what storage relies on to reject a stale holder's writes: every holder's token is
 * larger than the previous holder's (the one taken when the sample was set up), the two tokens
 * are distinct, and the holder that came second has the larger one. Equal or out-of-order tokens
 * are {@code FORBIDDEN}.
 *
 * <p>Result: (owner 1 held, owner 2 held, tokens ordered: 1 = yes, 0 = no).
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t LocalLock_04 -m quick}
 */
@JCStressTest
@Outcome(id = {"1, 0, 1", "0, 1, 1"}, expect = ACCEPTABLE, desc = "One owner held; its token is above the earlier holder's.")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "Both held in turn; tokens strictly increase in holding order.")
@Outcome(id = {"1, 0, 0", "0, 1, 0", "1, 1, 0"}, expect = FORBIDDEN, desc = "Fencing tokens repeated or went backwards.")
@Outcome(id = {"0, 0, 1", "0, 0, 0"}, expect = FORBIDDEN, desc = "Nobody held a lock that was free.")
@Outcome(expect = FORBIDDEN, desc = "Inconsistent result.")
@State
public class LocalLock_04_FencingOrder {
    private final String name = LocalLocks.freshName("fencing");
    private final long earlierToken;
    private final AtomicInteger order = new AtomicInteger();
    private long token1;
    private int place1;
    private long token2;
    private int place2;

    public LocalLock_04_FencingOrder() {
        LockLease earlier = LocalLocks.acquireFree(name, LocalLocks.LONG_LEASE);
        earlierToken = earlier.fencingToken();
        earlier.release();
    }

    @Actor
    public void owner1(III_Result r) {
        LockLease lease = LocalLocks.tryAcquire(name);
        if (lease != null) {
            // Counted while holding, so the order of places is the order of holding.
            place1 = order.incrementAndGet();
            token1 = lease.fencingToken();
            lease.release();
            r.r1 = 1;
        }
    }

    @Actor
    public void owner2(III_Result r) {
        LockLease lease = LocalLocks.tryAcquire(name);
        if (lease != null) {
            place2 = order.incrementAndGet();
            token2 = lease.fencingToken();
            lease.release();
            r.r2 = 1;
        }
    }

    @Arbiter
    public void check(III_Result r) {
        boolean ordered = true;
        if (place1 > 0) {
            ordered &= token1 > earlierToken;
        }
        if (place2 > 0) {
            ordered &= token2 > earlierToken;
        }
        if (place1 > 0 && place2 > 0) {
            ordered &= place1 < place2 ? token1 < token2 : token2 < token1;
        }
        r.r3 = ordered ? 1 : 0;
    }
}
