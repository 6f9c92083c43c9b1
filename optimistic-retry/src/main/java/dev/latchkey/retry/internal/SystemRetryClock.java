package dev.latchkey.retry.internal;

import dev.latchkey.retry.RetryClock;
import java.util.concurrent.TimeUnit;

/** {@link System#nanoTime()} and {@link Thread#sleep}; virtual-thread friendly (no monitor is held). */
public final class SystemRetryClock implements RetryClock {

    public static final SystemRetryClock INSTANCE = new SystemRetryClock();

    private SystemRetryClock() {
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(nanos);
    }

    @Override
    public String toString() {
        return "RetryClock.system()";
    }
}
