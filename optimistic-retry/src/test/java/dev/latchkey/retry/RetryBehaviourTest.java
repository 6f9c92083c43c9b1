package dev.latchkey.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What {@link Retry#call} and {@link Retry#run} do with each kind of outcome, on a virtual clock. */
class RetryBehaviourTest {

    private final VirtualClock clock = new VirtualClock();

    private RetryPolicy.Builder policy() {
        return RetryPolicy.builder().clock(clock).backoff(Backoff.fixed(Duration.ofMillis(10)));
    }

    private static ConcurrencyConflictException conflict(int n) {
        return new ConcurrencyConflictException("conflict " + n);
    }

    @Test
    void call_firstAttemptSucceeds_returnsItsResultWithoutSleeping() {
        String result = Retry.of(policy().build()).call(() -> "ok");
        assertThat(result).isEqualTo("ok");
        assertThat(clock.sleeps).isEmpty();
    }

    @Test
    void call_conflictsThenSucceeds_retriesAndReturnsTheResult() {
        AtomicInteger calls = new AtomicInteger();
        String result = Retry.of(policy().build()).call(() -> {
            if (calls.incrementAndGet() < 3) {
                throw conflict(calls.get());
            }
            return "third time";
        });
        assertThat(result).isEqualTo("third time");
        assertThat(calls).hasValue(3);
        assertThat(clock.sleeps).containsExactly(10_000_000L, 10_000_000L);
    }

    @Test
    void call_alwaysConflicting_throwsExhaustedWithAttemptsLastCauseAndEarlierOnesSuppressed() {
        AtomicInteger calls = new AtomicInteger();
        RetryExhaustedException e = catchThrowableOfType(RetryExhaustedException.class,
                () -> Retry.of(policy().maxAttempts(3).build()).call(() -> {
                    throw conflict(calls.incrementAndGet());
                }));
        assertThat(e.reason()).isEqualTo(RetryExhaustedException.Reason.MAX_ATTEMPTS);
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(e.getCause()).hasMessage("conflict 3");
        assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("conflict 1", "conflict 2");
        assertThat(e.droppedFailures()).isZero();
        assertThat(e.elapsed()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void exhausted_afterManyFailures_keepsOnlyTheMostRecentEarlierCauses() {
        AtomicInteger calls = new AtomicInteger();
        RetryExhaustedException e = catchThrowableOfType(RetryExhaustedException.class,
                () -> Retry.of(policy().maxAttempts(20).backoff(Backoff.none()).build()).call(() -> {
                    throw conflict(calls.incrementAndGet());
                }));
        assertThat(e.attempts()).isEqualTo(20);
        assertThat(e.getSuppressed()).hasSize(RetryExhaustedException.MAX_SUPPRESSED);
        assertThat(e.getSuppressed()[0]).hasMessage("conflict 12");
        assertThat(e.getSuppressed()[7]).hasMessage("conflict 19");
        assertThat(e.droppedFailures()).isEqualTo(11);
    }

    @Test
    void zeroBackoff_neverSleeps() {
        for (Backoff zero : new Backoff[] {Backoff.none(), Backoff.fixed(Duration.ZERO)}) {
            AtomicInteger calls = new AtomicInteger();
            assertThatThrownBy(() -> Retry.of(policy().backoff(zero).maxAttempts(5).build()).run(() -> {
                throw conflict(calls.incrementAndGet());
            })).isInstanceOf(RetryExhaustedException.class);
            assertThat(calls).hasValue(5);
        }
        assertThat(clock.sleeps).as("the virtual clock fails on any sleep, zero included").isEmpty();
    }

    @Test
    void exponentialBackoff_sleepsTheComputedDelays() {
        Backoff exp = Backoff.exponential(Duration.ofMillis(10), 2.0, Duration.ofMillis(50));
        assertThatThrownBy(() -> Retry.of(policy().backoff(exp).maxAttempts(5).build()).call(() -> {
            throw conflict(0);
        })).isInstanceOf(RetryExhaustedException.class);
        assertThat(clock.sleeps).containsExactly(10_000_000L, 20_000_000L, 40_000_000L, 50_000_000L);
    }

    @Test
    void failureNotRetried_propagatesUnchangedAfterOneAttempt() {
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> Retry.of(policy().build()).call(() -> {
            calls.incrementAndGet();
            throw boom;
        })).isSameAs(boom);
        assertThat(calls).hasValue(1);
    }

    @Test
    void checkedFailureNotRetried_isWrappedInRetryException() {
        IOException io = new IOException("disk");
        assertThatThrownBy(() -> Retry.of(policy().build()).call(() -> {
            throw io;
        })).isExactlyInstanceOf(RetryException.class).hasCause(io);
    }

    @Test
    void abortOn_winsOverRetryOn() {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy p = policy().retryOn(RuntimeException.class).abortOn(IllegalArgumentException.class).build();
        assertThatThrownBy(() -> Retry.of(p).run(() -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("bad");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void retryIf_retriesWhatThePredicateAccepts() {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy p = policy().retryIf(t -> t.getMessage() != null && t.getMessage().startsWith("transient"))
                .maxAttempts(4).build();
        String result = Retry.of(p).call(() -> {
            if (calls.incrementAndGet() < 4) {
                throw new IllegalStateException("transient " + calls.get());
            }
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(p.shouldRetry(new ConcurrencyConflictException("x")))
                .as("retryIf alone replaces the ConcurrencyConflictException default").isFalse();
    }

    @Test
    void listeners_hearFailuresScheduledRetriesAndExhaustion_inOrder() {
        List<String> events = new ArrayList<>();
        RetryListener listener = new RetryListener() {
            @Override
            public void onAttemptFailed(int attempt, Throwable failure) {
                events.add("failed " + attempt);
            }

            @Override
            public void onRetryScheduled(int attempt, Throwable failure, Duration delay) {
                events.add("scheduled " + attempt + " in " + delay.toMillis() + "ms");
            }

            @Override
            public void onExhausted(RetryExhaustedException exception) {
                events.add("exhausted " + exception.attempts());
            }

            @Override
            public void onAborted(int attempt, Throwable failure) {
                events.add("aborted " + attempt);
            }
        };
        RetryListener throwing = new RetryListener() {
            @Override
            public void onAttemptFailed(int attempt, Throwable failure) {
                throw new IllegalStateException("a broken listener must not change the outcome");
            }
        };
        Retry retry = Retry.of(policy().maxAttempts(2).listener(throwing).listener(listener).build());
        assertThatThrownBy(() -> retry.call(() -> {
            throw conflict(0);
        })).isInstanceOf(RetryExhaustedException.class);
        assertThatThrownBy(() -> retry.call(() -> {
            throw new UnsupportedOperationException();
        })).isInstanceOf(UnsupportedOperationException.class);
        assertThat(retry.call(() -> 1)).isEqualTo(1);
        assertThat(events).containsExactly("failed 1", "scheduled 1 in 10ms", "failed 2", "exhausted 2",
                "failed 1", "aborted 1");
    }

    @Test
    void run_retriesARunnable() {
        AtomicInteger calls = new AtomicInteger();
        Retry.of(policy().build()).run(() -> {
            if (calls.incrementAndGet() == 1) {
                throw conflict(1);
            }
        });
        assertThat(calls).hasValue(2);
    }

    @Test
    void error_isNotRetriedByDefault() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> Retry.of(policy().build()).run(() -> {
            calls.incrementAndGet();
            throw new AssertionError("fatal");
        })).isInstanceOf(AssertionError.class).hasMessage("fatal");
        assertThat(calls).hasValue(1);
    }
}
