package dev.latchkey.retry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad input fails at once, before anything runs, with a message naming the value. */
class InputValidationTest {

    @Test
    void maxAttempts_belowOne_isRejectedNamingTheValue() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts").hasMessageContaining(": 0");
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(-3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-3");
    }

    @Test
    void maxDuration_notPositive_isRejectedNamingTheValue() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxDuration(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> RetryPolicy.builder().maxDuration(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.005S");
        assertThatThrownBy(() -> RetryPolicy.builder().maxDuration(Duration.ofDays(365L * 1000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long");
    }

    @Test
    void name_blank_isRejected() {
        assertThatThrownBy(() -> RetryPolicy.builder().name("  "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'  '");
    }

    @Test
    void retryOn_emptyOrNull_isRejected() {
        assertThatThrownBy(() -> RetryPolicy.builder().retryOn())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryOn");
        assertThatThrownBy(() -> RetryPolicy.builder().abortOn((Class<? extends Throwable>) null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("abortOn[0]");
    }

    @Test
    void nulls_areRejectedNamingTheParameter() {
        assertThatThrownBy(() -> RetryPolicy.builder().backoff(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("backoff");
        assertThatThrownBy(() -> Retry.of(null)).isInstanceOf(NullPointerException.class).hasMessage("policy");
        Retry retry = Retry.of(RetryPolicy.builder().build());
        assertThatThrownBy(() -> retry.call(null)).isInstanceOf(NullPointerException.class).hasMessage("callable");
        assertThatThrownBy(() -> retry.run(null)).isInstanceOf(NullPointerException.class).hasMessage("runnable");
        assertThatThrownBy(() -> retry.callAsync(null, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("supplier");
    }

    @Test
    void meterRegistry_notAMeterRegistry_isRejectedNamingIt() {
        assertThatThrownBy(() -> RetryPolicy.builder().meterRegistry("not a registry"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a registry")
                .hasMessageContaining("java.lang.String");
    }

    @Test
    void exponential_badArguments_areRejectedNamingTheValue() {
        assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, 2, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(1), 0.5, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.5");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(1), Double.NaN, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(1), Double.POSITIVE_INFINITY, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), 2, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT1S").hasMessageContaining("PT2S");
        assertThatThrownBy(() -> Backoff.fixed(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() -> Backoff.fixed(Duration.ofMillis(1)).delayNanos(0, 0, new java.util.Random()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(": 0");
    }

    @Test
    void budget_badArguments_areRejectedNamingTheValue() {
        assertThatThrownBy(() -> RetryBudget.create(0, 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRetryTokens").hasMessageContaining(": 0");
        assertThatThrownBy(() -> RetryBudget.create(10, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(": 0.0");
        assertThatThrownBy(() -> RetryBudget.create(10, 11))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("11.0");
        assertThatThrownBy(() -> RetryBudget.create(10, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @Test
    void versionedUpdate_notAnUpdate_isRejectedNamingTheStatement() {
        assertThatThrownBy(() -> VersionedUpdate.of("SELECT * FROM t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SELECT * FROM t");
        assertThatThrownBy(() -> VersionedUpdate.of(null)).isInstanceOf(NullPointerException.class).hasMessage("sql");
        assertThatThrownBy(() -> VersionedUpdate.checkUpdateCount(-1, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }
}
