package dev.latchkey.retry;

import dev.latchkey.retry.internal.MicrometerRetryMetrics;
import dev.latchkey.retry.internal.NoopRetryMetrics;
import dev.latchkey.retry.internal.RetryEngine;
import dev.latchkey.retry.internal.RetryMetrics;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Runs code under a {@link RetryPolicy}. Thread-safe; create one per policy and reuse it.
 *
 * <pre>{@code
 * Retry retry = Retry.of(policy);
 * Order order = retry.call(() -> orders.place(customerId, itemId, quantity));
 * }</pre>
 *
 * <h2>Outcomes of {@link #call} and {@link #run}</h2>
 * <ul>
 *   <li>an attempt succeeds: its result is returned;</li>
 *   <li>a retryable failure and no attempt, time or budget left: {@link RetryExhaustedException};</li>
 *   <li>a failure the policy does not retry: rethrown unchanged if unchecked, wrapped in {@link RetryException}
 *       if checked;</li>
 *   <li>the thread is interrupted while backing off, before a retry, or an attempt throws
 *       {@link InterruptedException}: retrying stops at once, the interrupt flag is set again and
 *       {@link RetryInterruptedException} is thrown.</li>
 * </ul>
 *
 * <h2>Cost</h2>
 * When the first attempt succeeds, nothing is allocated and the clock is read only if the policy has a
 * {@code maxDuration}. A zero backoff never sleeps (no {@code Thread.sleep(0)}).
 *
 * @since 0.1.0
 */
public final class Retry {

    private final RetryPolicy policy;
    private final RetryEngine engine;

    private Retry(RetryPolicy policy) {
        this.policy = policy;
        RetryMetrics metrics = policy.meterRegistry == null
                ? NoopRetryMetrics.INSTANCE
                : MicrometerRetryMetrics.create(policy.meterRegistry, policy.name());
        this.engine = new RetryEngine(policy, metrics, policy.random);
    }

    /**
     * A retry runner for {@code policy}.
     *
     * @throws NullPointerException if {@code policy} is null
     */
    public static Retry of(RetryPolicy policy) {
        return new Retry(Objects.requireNonNull(policy, "policy"));
    }

    /** The policy this runner applies. */
    public RetryPolicy policy() {
        return policy;
    }

    /**
     * Calls {@code callable} until it succeeds or the policy gives up.
     *
     * @return the first successful result
     * @throws NullPointerException if {@code callable} is null
     * @throws RetryExhaustedException if retryable failures used up the attempts, the deadline or the budget
     * @throws RetryInterruptedException if the thread was interrupted (its flag is set again)
     * @throws RetryException wrapping a checked failure that is not retried
     */
    public <T> T call(Callable<T> callable) {
        Objects.requireNonNull(callable, "callable");
        return engine.call(callable);
    }

    /**
     * Runs {@code runnable} until it completes normally or the policy gives up; outcomes as for {@link #call}.
     *
     * @throws NullPointerException if {@code runnable} is null
     * @throws RetryExhaustedException if retryable failures used up the attempts, the deadline or the budget
     * @throws RetryInterruptedException if the thread was interrupted (its flag is set again)
     */
    public void run(Runnable runnable) {
        Objects.requireNonNull(runnable, "runnable");
        engine.run(runnable);
    }

    /**
     * Starts the first attempt on the calling thread and retries on {@code scheduler} without blocking any thread
     * during a backoff. The returned future completes with the first successful value; exceptionally with
     * {@link RetryExhaustedException}, or with the original failure when it is not retried. Cancelling it stops
     * the run: the scheduled retry is cancelled and no further attempt starts.
     *
     * @param supplier starts one attempt; a throw or a null stage counts as a failed attempt
     * @param scheduler runs the retries; a rejected retry completes the future with the
     *        {@link java.util.concurrent.RejectedExecutionException}
     * @throws NullPointerException if an argument is null
     */
    public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> supplier,
                                              ScheduledExecutorService scheduler) {
        Objects.requireNonNull(supplier, "supplier");
        Objects.requireNonNull(scheduler, "scheduler");
        return engine.callAsync(supplier, scheduler);
    }

    @Override
    public String toString() {
        return "Retry[" + policy + "]";
    }
}
