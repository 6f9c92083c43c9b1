package dev.latchkey.lock.spi;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LockValidationTest {

    @Test
    void lockName_valid_isReturnedUnchanged() {
        assertThat(LockValidation.lockName("orders:42")).isEqualTo("orders:42");
        assertThat(LockValidation.lockName("x".repeat(512))).hasSize(512);
        assertThat(LockValidation.lockName("ключ")).isEqualTo("ключ");
    }

    @Test
    void lockName_null_throwsNullPointerExceptionNamingTheParameter() {
        assertThatThrownBy(() -> LockValidation.lockName(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("name");
    }

    @Test
    void lockName_empty_throwsIllegalArgumentException() {
        assertThatThrownBy(() -> LockValidation.lockName("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void lockName_over512Utf8Bytes_throwsIllegalArgumentExceptionWithTheByteCount() {
        assertThatThrownBy(() -> LockValidation.lockName("x".repeat(513)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("513 UTF-8 bytes");
        // 171 three-byte chars: 513 bytes in only 171 UTF-16 units.
        assertThatThrownBy(() -> LockValidation.lockName("€".repeat(171)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("513 UTF-8 bytes");
        assertThat(LockValidation.lockName("€".repeat(170))).hasSize(170);
    }

    @Test
    void lockName_controlCharacter_throwsIllegalArgumentExceptionShowingIt() {
        assertThatThrownBy(() -> LockValidation.lockName("a\nb")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+000A").hasMessageContaining("a\\u000ab");
        assertThatThrownBy(() -> LockValidation.lockName("\u0085x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leaseTime_under10ms_throwsIllegalArgumentExceptionNamingTheValue() {
        assertThat(LockValidation.leaseTime(Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(10));
        assertThatThrownBy(() -> LockValidation.leaseTime(Duration.ofMillis(9)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0.009S");
        assertThatThrownBy(() -> LockValidation.leaseTime(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LockValidation.leaseTime(Duration.ofSeconds(Long.MAX_VALUE)))
                .as("a lease whose deadline would overflow").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LockValidation.leaseTime(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("leaseTime");
    }

    @Test
    void positiveAndNotNegative_checkTheirBounds() {
        assertThatThrownBy(() -> LockValidation.positive(Duration.ZERO, "maxPollInterval"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPollInterval");
        assertThat(LockValidation.notNegative(Duration.ZERO, "maxWait")).isZero();
        assertThatThrownBy(() -> LockValidation.notNegative(Duration.ofNanos(-1), "maxWait"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
        assertThatThrownBy(() -> LockValidation.notNegative(null, "maxWait"))
                .isInstanceOf(NullPointerException.class).hasMessage("maxWait");
    }
}
