package dev.latchkey.lock.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one shared scheduler of auto-renewals. The timer thread only hands work over: each renewal
 * runs its backend call on a pool of daemon I/O threads, so one slow backend cannot delay the
 * renewals of every other lease.
 */
final class LeaseRenewer {

    private static final ScheduledThreadPoolExecutor TIMER;
    private static final ExecutorService IO = Executors.newCachedThreadPool(daemon("latchkey-renewal-io-"));

    static {
        TIMER = new ScheduledThreadPoolExecutor(1, daemon("latchkey-renewal-timer-"));
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private LeaseRenewer() {
    }

    static Future<?> schedule(Runnable renewal, long delayNanos) {
        return TIMER.schedule(() -> IO.execute(renewal), delayNanos, TimeUnit.NANOSECONDS);
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
