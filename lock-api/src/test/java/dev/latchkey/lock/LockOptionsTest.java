package dev.latchkey.lock;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LockOptionsTest {

    @Test
    void defaults_areA30sLeaseWithoutRenewalOrListener() {
        LockOptions d = LockOptions.defaults();
        assertThat(d.leaseTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.autoRenew()).isFalse();
        assertThat(d.leaseLostListener()).isSameAs(LeaseLostListener.NONE);
        assertThat(LockOptions.builder().build()).isEqualTo(d);
    }

    @Test
    void builder_setsEveryOption() {
        LeaseLostListener listener = (lease, cause) -> { };
        LockOptions o = LockOptions.builder().leaseTime(Duration.ofSeconds(5)).autoRenew(true)
                .leaseLostListener(listener).build();
        assertThat(o.leaseTime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.autoRenew()).isTrue();
        assertThat(o.leaseLostListener()).isSameAs(listener);
    }

    @Test
    void mutate_derivesAChangedCopyAndLeavesTheOriginal() {
        LockOptions base = LockOptions.builder().leaseTime(Duration.ofSeconds(5)).autoRenew(true).build();
        LockOptions changed = base.mutate().leaseTime(Duration.ofSeconds(7)).build();
        assertThat(changed.leaseTime()).isEqualTo(Duration.ofSeconds(7));
        assertThat(changed.autoRenew()).isTrue();
        assertThat(base.leaseTime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(base.mutate().build()).isEqualTo(base).hasSameHashCodeAs(base);
    }

    @Test
    void builder_badLeaseTime_failsAtTheSetter() {
        assertThatThrownBy(() -> LockOptions.builder().leaseTime(Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 10 ms");
        assertThatThrownBy(() -> LockOptions.builder().leaseTime(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> LockOptions.builder().leaseLostListener(null))
                .isInstanceOf(NullPointerException.class);
    }
}
