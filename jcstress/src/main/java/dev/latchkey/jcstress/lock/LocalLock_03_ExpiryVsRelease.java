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
 * {@link LocalLockProvider}: a holder whose lease has run out releases it late, while another
 * owner takes the name over because it expired.
 *
 * <p>Probes the takeover of an expired grant against the stale holder's release (and, in the
 * background, the table's sweep of expired grants, which runs as the table fills with
 * {@link ExpiredLeases}' leases). The stale holder must see that it no longer holds the lock;
 * the newcomer must win, since the lease is over; and the stale release must not remove the
 * newcomer's grant: a third owner's probe must fail while the newcomer holds it.
 *
 * <p>Result: (stale holder still thinks it holds, newcomer won, newcomer holds alone after both).
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t LocalLock_03 -m quick}
 */
@JCStressTest
@Outcome(id = "false, true, true", expect = ACCEPTABLE, desc = "Expired lease taken over; the stale release changed nothing.")
@Outcome(id = "false, true, false", expect = FORBIDDEN, desc = "The stale release removed the newcomer's grant, or a second holder got in.")
@Outcome(id = {"false, false, true", "false, false, false"}, expect = FORBIDDEN, desc = "An expired lease still blocked the newcomer.")
@Outcome(expect = FORBIDDEN, desc = "The stale holder believes it still holds an expired lease.")
@State
public class LocalLock_03_ExpiryVsRelease {
    private final LockLease stale = ExpiredLeases.next("expiry");
    private LockLease newcomer;

    @Actor
    public void staleHolderReleases(ZZZ_Result r) {
        stale.release();
        r.r1 = stale.isHeld();
    }

    @Actor
    public void newcomerTakesOver(ZZZ_Result r) {
        newcomer = LocalLocks.tryAcquire(stale.name());
        r.r2 = newcomer != null;
    }

    @Arbiter
    public void probe(ZZZ_Result r) {
        LockLease probe = LocalLocks.tryAcquire(stale.name());
        r.r3 = newcomer != null && newcomer.isHeld() && probe == null;
        LocalLocks.releaseAll(newcomer, probe);
    }
}
