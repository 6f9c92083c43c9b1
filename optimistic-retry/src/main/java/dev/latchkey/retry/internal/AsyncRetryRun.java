package dev.latchkey.retry.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One asynchronous retry run. No thread waits during a backoff: the next attempt is scheduled on the caller's
 * {@link ScheduledExecutorService}. Cancelling the returned future cancels the scheduled attempt and, where the
 * stage allows it, the attempt in flight; nothing further is started after that.
 */
final class AsyncRetryRun<T> {

    private final RetryEngine engine;
    private final Supplier<? extends CompletionStage<T>> supplier;
    private final ScheduledExecutorService scheduler;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final long startNanos;
    private RetryRun run;
    private volatile Future<?> scheduled;
    private volatile CompletionStage<T> inFlight;

    AsyncRetryRun(RetryEngine engine, Supplier<? extends CompletionStage<T>> supplier,
                  ScheduledExecutorService scheduler) {
        this.engine = engine;
        this.supplier = supplier;
        this.scheduler = scheduler;
        this.startNanos = engine.clock.nanoTime();
        result.whenComplete((value, error) -> {
            if (result.isCancelled()) {
                cancelPending();
            }
        });
    }

    CompletableFuture<T> result() {
        return result;
    }

    void attempt() {
        if (result.isDone()) {
            return;
        }
        engine.metrics.attemptStarted();
        CompletionStage<T> stage;
        try {
            stage = Objects.requireNonNull(supplier.get(), "supplier returned a null CompletionStage");
        } catch (Throwable t) {
            onFailure(t);
            return;
        }
        inFlight = stage;
        stage.whenComplete((value, error) -> {
            if (error == null) {
                engine.succeeded();
                result.complete(value);
            } else {
                onFailure(unwrap(error));
            }
        });
    }

    private void onFailure(Throwable failure) {
        if (result.isDone()) {
            return;
        }
        if (run == null) {
            run = new RetryRun(engine, startNanos);
        }
        long delay = run.onFailure(failure);
        if (delay == RetryRun.STOP) {
            result.completeExceptionally(run.terminal());
            return;
        }
        try {
            if (delay == 0) {
                scheduler.execute(this::nextAttempt);
            } else {
                scheduled = scheduler.schedule(this::nextAttempt, delay, TimeUnit.NANOSECONDS);
                engine.metrics.backedOff(delay);
            }
        } catch (RejectedExecutionException e) {
            e.addSuppressed(failure);
            result.completeExceptionally(e);
            return;
        }
        if (result.isCancelled()) {
            cancelPending(); // cancelled while we were scheduling
        }
    }

    private void nextAttempt() {
        if (result.isDone()) {
            return;
        }
        run.nextAttempt();
        attempt();
    }

    private void cancelPending() {
        Future<?> f = scheduled;
        if (f != null) {
            f.cancel(false);
        }
        CompletionStage<T> stage = inFlight;
        if (stage != null) {
            try {
                stage.toCompletableFuture().cancel(true);
            } catch (UnsupportedOperationException e) {
                // A stage that cannot be cancelled finishes on its own; its outcome is ignored.
            }
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
