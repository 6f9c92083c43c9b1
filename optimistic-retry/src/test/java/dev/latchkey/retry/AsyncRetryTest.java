package dev.latchkey.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Retry#callAsync}: retries on the scheduler without blocking, and stops when cancelled. */
class AsyncRetryTest {

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    {
        scheduler.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void shutdown() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
    }

    private static RetryPolicy.Builder policy(Backoff backoff) {
        return RetryPolicy.builder().backoff(backoff).maxAttempts(5);
    }

    @Test
    void callAsync_conflictsTwiceThenSucceeds_completesWithTheValue() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<String> f = Retry.of(policy(Backoff.fixed(Duration.ofMillis(1))).build()).callAsync(() -> {
            if (calls.incrementAndGet() <= 2) {
                return CompletableFuture.failedFuture(new ConcurrencyConflictException("conflict"));
            }
            return CompletableFuture.completedFuture("ok");
        }, scheduler);
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void callAsync_withZeroBackoff_retriesThroughTheScheduler() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Integer> f = Retry.of(policy(Backoff.none()).build()).callAsync(() -> {
            if (calls.incrementAndGet() < 5) {
                throw new ConcurrencyConflictException("thrown synchronously");
            }
            return CompletableFuture.completedFuture(calls.get());
        }, scheduler);
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(5);
    }

    @Test
    void callAsync_exhausted_failsWithRetryExhaustedException() {
        CompletableFuture<String> f = Retry.of(policy(Backoff.none()).maxAttempts(3).build()).callAsync(
                () -> CompletableFuture.failedFuture(new ConcurrencyConflictException("always")), scheduler);
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RetryExhaustedException.class)
                .satisfies(e -> assertThat(((RetryExhaustedException) e).attempts()).isEqualTo(3));
    }

    @Test
    void callAsync_failureNotRetried_failsWithTheOriginal() {
        IllegalStateException boom = new IllegalStateException("boom");
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<String> f = Retry.of(policy(Backoff.none()).build()).callAsync(() -> {
            calls.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> {
                throw boom;
            });
        }, scheduler);
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasCause(boom);
        assertThat(calls).hasValue(1);
    }

    @Test
    void cancel_duringBackoff_cancelsTheScheduledRetry_andNoAttemptFollows() {
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<String> f = Retry.of(policy(Backoff.fixed(Duration.ofHours(1))).build()).callAsync(() -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new ConcurrencyConflictException("conflict"));
        }, scheduler);
        assertThat(scheduler.getQueue()).as("the retry waits in the scheduler, no thread sleeps").hasSize(1);
        assertThat(f.cancel(true)).isTrue();
        assertThat(scheduler.getQueue()).as("cancelled retry removed").isEmpty();
        assertThat(f).isCancelled();
        assertThat(calls).hasValue(1);
    }

    @Test
    void cancel_whileAnAttemptRuns_cancelsThatAttempt_andStartsNoOther() {
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<String> inFlight = new CompletableFuture<>();
        CompletableFuture<String> f = Retry.of(policy(Backoff.none()).build()).callAsync(() -> {
            calls.incrementAndGet();
            return inFlight;
        }, scheduler);
        f.cancel(true);
        assertThat(inFlight).isCancelled();
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5)).untilAsserted(
                () -> assertThat(calls).hasValue(1));
    }
}
