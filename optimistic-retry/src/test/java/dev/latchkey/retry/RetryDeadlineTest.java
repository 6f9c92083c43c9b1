package dev.latchkey.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code maxDuration} on a virtual clock: no sleep ends at or past the deadline; a running attempt is left alone. */
class RetryDeadlineTest {

    private static final long START = 1_000_000_000L;
    private final VirtualClock clock = new VirtualClock();

    @Test
    void deadline_stopsBeforeABackoffThatWouldEndPastIt() {
        RetryPolicy p = RetryPolicy.builder().clock(clock).maxAttempts(100).maxDuration(Duration.ofMillis(100))
                .backoff(Backoff.fixed(Duration.ofMillis(30))).build();
        AtomicInteger calls = new AtomicInteger();
        RetryExhaustedException e = catchThrowableOfType(RetryExhaustedException.class, () -> Retry.of(p).call(() -> {
            calls.incrementAndGet();
            throw new ConcurrencyConflictException("conflict");
        }));
        assertThat(e.reason()).isEqualTo(RetryExhaustedException.Reason.DEADLINE);
        assertThat(calls).as("attempts at 0, 30, 60 and 90 ms").hasValue(4);
        assertThat(e.attempts()).isEqualTo(4);
        assertThat(e.elapsed()).isEqualTo(Duration.ofMillis(90));
        assertThat(clock.sleepEnds).allSatisfy(end -> assertThat(end - START).isLessThan(100_000_000L));
    }

    @Test
    void deadline_countsTheTimeAttemptsTake() {
        RetryPolicy p = RetryPolicy.builder().clock(clock).maxAttempts(100).maxDuration(Duration.ofMillis(100))
                .backoff(Backoff.fixed(Duration.ofMillis(30))).build();
        AtomicInteger calls = new AtomicInteger();
        RetryExhaustedException e = catchThrowableOfType(RetryExhaustedException.class, () -> Retry.of(p).run(() -> {
            calls.incrementAndGet();
            clock.advanceMillis(70);
            throw new ConcurrencyConflictException("slow conflict");
        }));
        assertThat(calls).as("70 ms spent + 30 ms backoff reaches the deadline").hasValue(1);
        assertThat(e.reason()).isEqualTo(RetryExhaustedException.Reason.DEADLINE);
        assertThat(e.elapsed()).isEqualTo(Duration.ofMillis(70));
        assertThat(clock.sleeps).isEmpty();
    }

    @Test
    void deadline_leavesARunningAttemptAlone_andReturnsItsLateSuccess() {
        RetryPolicy p = RetryPolicy.builder().clock(clock).maxDuration(Duration.ofMillis(100))
                .backoff(Backoff.fixed(Duration.ofMillis(10))).build();
        AtomicInteger calls = new AtomicInteger();
        String result = Retry.of(p).call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new ConcurrencyConflictException("first");
            }
            clock.advanceMillis(500); // runs far past the deadline, then succeeds
            return "late but fine";
        });
        assertThat(result).isEqualTo("late but fine");
        assertThat(clock.elapsedSinceStartNanos()).isEqualTo(510_000_000L);
    }

    @Test
    void withoutDeadline_onlyAttemptsLimitTheRun() {
        RetryPolicy p = RetryPolicy.builder().clock(clock).maxAttempts(6)
                .backoff(Backoff.fixed(Duration.ofSeconds(100))).build();
        RetryExhaustedException e = catchThrowableOfType(RetryExhaustedException.class, () -> Retry.of(p).call(() -> {
            throw new ConcurrencyConflictException("conflict");
        }));
        assertThat(e.reason()).isEqualTo(RetryExhaustedException.Reason.MAX_ATTEMPTS);
        assertThat(clock.sleeps).hasSize(5);
    }
}
