package dev.latchkey.retry;

import java.util.ArrayList;
import java.util.List;

/** A {@link RetryClock} whose sleeps advance a virtual time at once, and remember what was asked. */
final class VirtualClock implements RetryClock {

    private long now = 1_000_000_000L;
    final List<Long> sleeps = new ArrayList<>();
    final List<Long> sleepEnds = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void sleepNanos(long nanos) throws InterruptedException {
        if (nanos <= 0) {
            throw new AssertionError("sleepNanos called with " + nanos + ": a zero backoff must not sleep");
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        sleeps.add(nanos);
        now += nanos;
        sleepEnds.add(now);
    }

    synchronized void advanceMillis(long millis) {
        now += millis * 1_000_000L;
    }

    synchronized long elapsedSinceStartNanos() {
        return now - 1_000_000_000L;
    }
}
