package dev.latchkey.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The optional Micrometer meters count what the run did. */
class MicrometerMetricsTest {

    @Test
    void meters_countAttemptsConflictsExhaustedAbortedAndBackoff() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Retry retry = Retry.of(RetryPolicy.builder().name("orders").meterRegistry(registry).clock(new VirtualClock())
                .backoff(Backoff.fixed(Duration.ofMillis(5))).maxAttempts(3).build());
        AtomicInteger calls = new AtomicInteger();
        retry.call(() -> {
            if (calls.incrementAndGet() <= 2) {
                throw new ConcurrencyConflictException("conflict");
            }
            return "ok";
        });
        assertThatThrownBy(() -> retry.run(() -> {
            throw new ConcurrencyConflictException("always");
        })).isInstanceOf(RetryExhaustedException.class);
        assertThatThrownBy(() -> retry.run(() -> {
            throw new IllegalStateException("not retried");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(registry.get("latchkey.retry.attempts").tag("policy", "orders").counter().count()).isEqualTo(7);
        assertThat(registry.get("latchkey.retry.conflicts").counter().count()).isEqualTo(5);
        assertThat(registry.get("latchkey.retry.exhausted").counter().count()).isEqualTo(1);
        assertThat(registry.get("latchkey.retry.aborted").counter().count()).isEqualTo(1);
        assertThat(registry.get("latchkey.retry.backoff").timer().count()).isEqualTo(4);
        assertThat(registry.get("latchkey.retry.backoff").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20.0);
    }
}
