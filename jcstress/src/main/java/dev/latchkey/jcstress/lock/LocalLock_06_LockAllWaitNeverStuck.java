package dev.latchkey.jcstress.lock;

import dev.latchkey.lock.LocalLockProvider;
import dev.latchkey.lock.LockLease;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZI_Result;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link LocalLockProvider#lockAll}: two owners wait for overlapping sets listed in opposite
 * orders ({@code [a, b]} and {@code [c, b]}, sharing {@code b}), each holds its set briefly and
 * releases it.
 *
 * <p>Probes waiting multi-locks: both must get their set within the wait (a second), one after
 * the other, never both inside at once. Inside, each owner counts itself into the shared name;
 * a count above one is an overlap. A timeout here means the owners deadlocked or a wake-up was
 * lost: the other set is released within microseconds.
 *
 * <p>Result: (owner 1 got its set, owner 2 got its set, overlaps seen).
 *
 * <p>Run it alone: {@code java -jar jcstress/target/jcstress.jar -t LocalLock_06 -m quick}
 */
@JCStressTest
@Outcome(id = "true, true, 0", expect = ACCEPTABLE, desc = "Both owners got their set, one after the other.")
@Outcome(id = {"true, true, 1", "true, true, 2"}, expect = FORBIDDEN, desc = "Both owners were inside the shared name at once.")
@Outcome(expect = FORBIDDEN, desc = "Stuck: an owner timed out waiting for a set that was released at once.")
@State
public class LocalLock_06_LockAllWaitNeverStuck {
    private static final Duration WAIT = Duration.ofSeconds(1);

    private final String a = LocalLocks.freshName("wait-a");
    private final String b = LocalLocks.freshName("wait-b");
    private final String c = LocalLocks.freshName("wait-c");
    private final AtomicInteger insideB = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();

    private boolean holdBriefly(List<String> names) {
        LockLease lease;
        try {
            lease = LocalLocks.PROVIDER.lockAll(names, LocalLocks.LONG_LEASE).tryAcquire(WAIT).orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (lease == null) {
            return false;
        }
        try {
            if (insideB.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            insideB.decrementAndGet();
        } finally {
            lease.release();
        }
        return true;
    }

    @Actor
    public void owner1(ZZI_Result r) {
        r.r1 = holdBriefly(List.of(a, b));
    }

    @Actor
    public void owner2(ZZI_Result r) {
        r.r2 = holdBriefly(List.of(c, b));
    }

    @Arbiter
    public void count(ZZI_Result r) {
        r.r3 = overlaps.get();
    }
}
