package dev.latchkey.jcstress.lock;

import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands out leases whose lease time has already run out, without making each jcstress sample
 * wait for it.
 *
 * <p>The shortest lease {@code lock-api} allows is 10 ms, far longer than a jcstress sample.
 * So every request acquires a fresh 10 ms lease on a new name and puts it at the back of a
 * queue, and takes the lease at the front once that one is more than 11 ms old. While the
 * pipeline fills (the first 11 ms of a fork) requests keep adding fresh leases instead of
 * waiting, so in the steady state every request adds one lease and takes one that has
 * expired, both on the backend and on its holder's clock.
 */
final class ExpiredLeases {

    static final Duration LEASE = Duration.ofMillis(10);
    private static final long AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(11);
    private static final int MAX_QUEUED = 200_000;
    private static final LockOptions OPTIONS = LockOptions.builder().leaseTime(LEASE).build();

    private record Aged(LockLease lease, long acquiredAtNanos) {
    }

    private static final ConcurrentLinkedQueue<Aged> QUEUE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger QUEUED = new AtomicInteger();

    private ExpiredLeases() {
    }

    /** A lease on a name of its own whose 10 ms lease ran out at least 1 ms ago. */
    static LockLease next(String prefix) {
        while (true) {
            if (QUEUED.get() < MAX_QUEUED) {
                long sentAt = System.nanoTime();
                QUEUE.add(new Aged(LocalLocks.acquireFree(LocalLocks.freshName(prefix), OPTIONS), sentAt));
                QUEUED.incrementAndGet();
            }
            Aged head = QUEUE.peek();
            if (head != null && System.nanoTime() - head.acquiredAtNanos >= AGE_NANOS && QUEUE.remove(head)) {
                QUEUED.decrementAndGet();
                return head.lease;
            }
            if (QUEUED.get() >= MAX_QUEUED) {
                LockSupport.parkNanos(100_000L);
            }
        }
    }
}
