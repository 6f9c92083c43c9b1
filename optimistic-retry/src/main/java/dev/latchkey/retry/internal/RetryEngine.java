package dev.latchkey.retry.internal;

import dev.latchkey.retry.Backoff;
import dev.latchkey.retry.RetryBudget;
import dev.latchkey.retry.RetryClock;
import dev.latchkey.retry.RetryException;
import dev.latchkey.retry.RetryListener;
import dev.latchkey.retry.RetryPolicy;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Runs code under one policy. The first attempt is inlined in {@link #call} and {@link #run} and touches only
 * fields and the caller's lambda: no iterator, no state object, no clock read unless a deadline is set. A
 * {@link RetryRun} is allocated only once an attempt has failed.
 */
public final class RetryEngine {

    final RetryPolicy policy;
    final int maxAttempts;
    final long maxDurationNanos;
    final Backoff backoff;
    final RetryBudget budget;
    final RetryClock clock;
    final RetryMetrics metrics;
    final RetryListener listener;
    private final RandomGenerator random;

    /**
     * @param metrics the policy's meters, or {@link NoopRetryMetrics#INSTANCE}
     * @param random the jitter's random source, or null for the calling thread's {@link ThreadLocalRandom}
     */
    public RetryEngine(RetryPolicy policy, RetryMetrics metrics, RandomGenerator random) {
        this.policy = policy;
        this.maxAttempts = policy.maxAttempts();
        this.maxDurationNanos = policy.maxDuration().map(d -> d.toNanos()).orElse(0L);
        this.backoff = policy.backoff();
        this.budget = policy.budget().orElse(null);
        this.clock = policy.clock();
        this.metrics = metrics;
        this.listener = SafeRetryListener.of(policy.listeners());
        this.random = random;
    }

    /** See {@code Retry.call}. The first attempt is inlined here; the loop lives in {@link #retry}. */
    public <T> T call(Callable<T> callable) {
        long start = maxDurationNanos > 0 ? clock.nanoTime() : 0L;
        metrics.attemptStarted();
        T result;
        try {
            result = callable.call();
        } catch (Throwable failure) {
            return retry(callable, null, failure, start);
        }
        succeeded();
        return result;
    }

    /** See {@code Retry.run}; the runnable is not wrapped in a callable, which would allocate. */
    public void run(Runnable runnable) {
        long start = maxDurationNanos > 0 ? clock.nanoTime() : 0L;
        metrics.attemptStarted();
        try {
            runnable.run();
        } catch (Throwable failure) {
            retry(null, runnable, failure, start);
            return;
        }
        succeeded();
    }

    /** See {@code Retry.callAsync}. */
    public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> supplier,
                                              ScheduledExecutorService scheduler) {
        AsyncRetryRun<T> run = new AsyncRetryRun<>(this, supplier, scheduler);
        run.attempt();
        return run.result();
    }

    void succeeded() {
        if (budget != null) {
            budget.recordSuccess();
        }
    }

    RandomGenerator random() {
        return random != null ? random : ThreadLocalRandom.current();
    }

    /** The retry loop after a failed first attempt; exactly one of {@code callable} and {@code runnable} is set. */
    private <T> T retry(Callable<T> callable, Runnable runnable, Throwable firstFailure, long start) {
        RetryRun run = new RetryRun(this, maxDurationNanos > 0 ? start : clock.nanoTime());
        Throwable failure = firstFailure;
        while (true) {
            long delay = run.onFailure(failure);
            if (delay == RetryRun.STOP) {
                throw unchecked(run, run.terminal());
            }
            if (Thread.currentThread().isInterrupted()) {
                // Checked even with a zero backoff: an interrupted thread must not keep retrying.
                throw run.interrupted(new InterruptedException("interrupted before retry"));
            }
            if (delay > 0) {
                try {
                    clock.sleepNanos(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw run.interrupted(e);
                }
                metrics.backedOff(delay);
            }
            run.nextAttempt();
            metrics.attemptStarted();
            try {
                T result;
                if (callable != null) {
                    result = callable.call();
                } else {
                    runnable.run();
                    result = null;
                }
                succeeded();
                return result;
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    private static RuntimeException unchecked(RetryRun run, Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return run.interruptedAfterAbort((InterruptedException) t);
        }
        return new RetryException("Attempt " + run.attempts() + " failed with a checked exception that is not retried: "
                + t, t);
    }
}
