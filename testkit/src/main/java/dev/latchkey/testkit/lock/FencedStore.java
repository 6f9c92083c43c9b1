package dev.latchkey.testkit.lock;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A storage stand-in that checks fencing tokens the way real storage should: it keeps the largest
 * token it accepted and rejects any write whose token is not larger. Under a correct lock every
 * write is accepted; a rejection means two holders overlapped, or tokens went backwards.
 */
public final class FencedStore {

    private final AtomicLong lastAccepted = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private volatile String firstRejection;

    /** Writes with {@code fencingToken}; returns false (and counts a rejection) if it is not larger than the last accepted one. */
    public boolean write(long fencingToken) {
        while (true) {
            long last = lastAccepted.get();
            if (fencingToken <= last) {
                if (rejected.getAndIncrement() == 0) {
                    firstRejection = "token " + fencingToken + " after " + last;
                }
                return false;
            }
            if (lastAccepted.compareAndSet(last, fencingToken)) {
                accepted.incrementAndGet();
                return true;
            }
        }
    }

    /** Writes accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Writes rejected so far. */
    public int rejected() {
        return rejected.get();
    }

    /** The first rejection, described, or null. */
    public String firstRejection() {
        return firstRejection;
    }
}
