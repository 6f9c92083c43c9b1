package dev.latchkey.testkit.lock;

import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.LockLease;
import dev.latchkey.lock.LockOptions;
import dev.latchkey.lock.LockProvider;
import dev.latchkey.lock.LockTimeoutException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The part of the lock contract about the API's edges: bad input fails at once (before any I/O)
 * with {@link IllegalArgumentException} or {@link NullPointerException}, a closed provider fails
 * with {@link IllegalStateException}, and bounded waits end. Extend {@link LockContract}, which
 * includes these cases.
 */
public abstract class LockInputContract extends LockContractSupport {

    @Test
    void badNames_failAtOnceWithIllegalArgumentException() {
        LockProvider provider = provider();
        char[] long513 = new char[513];
        Arrays.fill(long513, 'x');
        String tooLong = new String(long513);
        String multiByteTooLong = "é".repeat(257); // 514 UTF-8 bytes in 257 chars
        for (String bad : List.of("", tooLong, multiByteTooLong, "a\nb", "tab\there", "nul\u0000", "del\u007f")) {
            assertThatThrownBy(() -> provider.lock(bad)).as("lock(%s)", printable(bad))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> provider.lockAll(List.of("fine", bad)))
                    .as("lockAll with %s", printable(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> provider.lockAll(List.of())).as("lockAll of no names")
                .isInstanceOf(IllegalArgumentException.class);
        String max = "x".repeat(512);
        assertThat(provider.lock(max).name()).as("a 512-byte name is allowed").isEqualTo(max);
        assertThat(provider.lock("é".repeat(256)).name()).as("a 512-byte multi-byte name is allowed").hasSize(256);
    }

    @Test
    void badDurations_failAtOnceWithIllegalArgumentException() {
        assertThatThrownBy(() -> LockOptions.builder().leaseTime(Duration.ZERO)).as("lease time 0")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LockOptions.builder().leaseTime(Duration.ofMillis(-5))).as("negative lease time")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LockOptions.builder().leaseTime(Duration.ofMillis(9))).as("lease time under 10 ms")
                .isInstanceOf(IllegalArgumentException.class);
        DistributedLock lock = provider().lock(uniqueName("durations"));
        assertThatThrownBy(() -> lock.tryAcquire(Duration.ofMillis(-1))).as("negative wait")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lock.acquire(Duration.ofSeconds(-1))).as("negative wait")
                .isInstanceOf(IllegalArgumentException.class);
        try (LockLease lease = lock.tryAcquire().orElseThrow()) {
            assertThatThrownBy(() -> lease.extend(Duration.ZERO)).as("extend by 0")
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> lease.extend(Duration.ofMillis(-100))).as("extend by a negative time")
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(lease.isHeld()).as("a rejected extend must not touch the grant").isTrue();
        }
    }

    @Test
    void nullArguments_failWithNullPointerException() {
        LockProvider provider = provider();
        assertThatThrownBy(() -> provider.lock(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> provider.lock(uniqueName("null"), null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> provider.lockAll(null, LockOptions.defaults()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> provider.lockAll(Arrays.asList("a", null), LockOptions.defaults()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> provider.lockAll(List.of("a"), null)).isInstanceOf(NullPointerException.class);
        DistributedLock lock = provider.lock(uniqueName("null"));
        assertThatThrownBy(() -> lock.tryAcquire(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> lock.acquire(null)).isInstanceOf(NullPointerException.class);
        try (LockLease lease = lock.tryAcquire().orElseThrow()) {
            assertThatThrownBy(() -> lease.extend(null)).isInstanceOf(NullPointerException.class);
        }
        assertThatThrownBy(() -> LockOptions.builder().leaseTime(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> LockOptions.builder().leaseLostListener(null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void closedProvider_failsWithIllegalStateException_andReleasesItsLeases() throws InterruptedException {
        String name = uniqueName("closed");
        LockProvider provider = provider();
        DistributedLock lock = provider.lock(uniqueName("closed-other"));
        LockLease lease = provider.lock(name).tryAcquire().orElseThrow();
        provider.close();
        provider.close();
        assertThatThrownBy(() -> provider.lock(uniqueName("after-close"))).as("lock() after close")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> provider.lockAll(List.of(name))).as("lockAll() after close")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(lock::tryAcquire).as("tryAcquire() after close").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> lock.acquire(Duration.ofSeconds(1))).as("acquire() after close")
                .isInstanceOf(IllegalStateException.class);
        assertThat(lease.isHeld()).as("a lease of a closed provider").isFalse();
        assertThat(provider().lock(name).tryAcquire()).as("closing a provider must release its leases").isPresent();
    }

    @Test
    void acquire_whileHeldPastTheWait_throwsLockTimeoutException() throws InterruptedException {
        String name = uniqueName("timeout");
        LockLease held = provider().lock(name).tryAcquire().orElseThrow();
        DistributedLock other = provider().lock(name);
        assertThatThrownBy(() -> other.acquire(shortLease())).as("acquire of a lock held past the wait")
                .isInstanceOf(LockTimeoutException.class).hasMessageContaining(name);
        assertThat(other.tryAcquire(shortLease())).as("tryAcquire(wait) of a lock held past the wait").isEmpty();
        assertThat(held.isHeld()).isTrue();
    }

    private static String printable(String s) {
        String shown = s.length() > 20 ? s.substring(0, 20) + "...(" + s.length() + " chars)" : s;
        StringBuilder b = new StringBuilder("\"");
        for (char c : shown.toCharArray()) {
            b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append('"').toString();
    }
}
