package dev.latchkey.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** An interrupt stops retrying at once, restores the flag and throws {@link RetryInterruptedException}. */
class RetryInterruptTest {

    @Test
    void interruptDuringBackoff_stopsAtOnce_restoresTheFlag_andThrows() throws Exception {
        RetryPolicy p = RetryPolicy.builder().maxAttempts(10).backoff(Backoff.fixed(Duration.ofMinutes(10))).build();
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean();
        CountDownLatch scheduled = new CountDownLatch(1);
        Retry retry = Retry.of(RetryPolicy.builder().maxAttempts(p.maxAttempts()).backoff(p.backoff())
                .listener(new RetryListener() {
                    @Override
                    public void onRetryScheduled(int attempt, Throwable failure, Duration delay) {
                        scheduled.countDown();
                    }
                }).build());
        Thread worker = new Thread(() -> {
            try {
                retry.run(() -> {
                    calls.incrementAndGet();
                    throw new ConcurrencyConflictException("conflict");
                });
            } catch (Throwable t) {
                thrown.set(t);
            }
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        worker.start();
        scheduled.await();
        await().atMost(Duration.ofSeconds(10)).until(() -> worker.getState() == Thread.State.TIMED_WAITING);
        worker.interrupt();
        worker.join(Duration.ofSeconds(10).toMillis());
        assertThat(worker.isAlive()).as("a ten-minute backoff must end on interrupt").isFalse();

        assertThat(thrown.get()).isInstanceOf(RetryInterruptedException.class)
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(thrown.get().getSuppressed()).singleElement().isInstanceOf(ConcurrencyConflictException.class);
        assertThat(((RetryInterruptedException) thrown.get()).attempts()).isEqualTo(1);
        assertThat(flagAfter).as("interrupt flag restored").isTrue();
        assertThat(calls).as("no attempt after the interrupt").hasValue(1);
    }

    @Test
    void interruptedThread_withZeroBackoff_doesNotSpinThroughItsAttempts() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = Retry.of(RetryPolicy.builder().maxAttempts(1_000).backoff(Backoff.none()).build());
        Thread.currentThread().interrupt();
        try {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> retry.run(() -> {
                calls.incrementAndGet();
                throw new ConcurrencyConflictException("conflict");
            }));
            assertThat(t).isInstanceOf(RetryInterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).as("flag still set").isTrue();
            assertThat(calls).hasValue(1);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void attemptThrowingInterruptedException_isNeverRetried_evenWhenRetryOnMatchesIt() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = Retry.of(RetryPolicy.builder().retryOn(Exception.class).backoff(Backoff.none()).build());
        try {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> retry.call(() -> {
                calls.incrementAndGet();
                throw new InterruptedException("attempt interrupted");
            }));
            assertThat(t).isInstanceOf(RetryInterruptedException.class)
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).as("flag restored").isTrue();
            assertThat(calls).hasValue(1);
        } finally {
            Thread.interrupted();
        }
    }
}
