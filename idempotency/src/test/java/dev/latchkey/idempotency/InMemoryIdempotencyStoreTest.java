package dev.latchkey.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.IdempotencyStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {

    @Override
    protected IdempotencyStore newStore() {
        return InMemoryIdempotencyStore.create();
    }

    @Test
    void claim_whenFullOfLiveRecords_failsInsteadOfEvicting() {
        InMemoryIdempotencyStore small = InMemoryIdempotencyStore.create(2);
        small.claim("a", FP, "t1", Duration.ofMinutes(1));
        small.claim("b", FP, "t2", Duration.ofMinutes(1));

        assertThatThrownBy(() -> small.claim("c", FP, "t3", Duration.ofMinutes(1)))
                .isInstanceOf(IdempotencyBackendException.class).hasMessageContaining("full");
        assertThat(small.claim("a", FP, "t4", Duration.ofMinutes(1)).status())
                .as("live records were kept").isEqualTo(ClaimResult.Status.IN_PROGRESS);
    }

    @Test
    void claim_whenFullOfExpiredRecords_sweepsThem() throws InterruptedException {
        InMemoryIdempotencyStore small = InMemoryIdempotencyStore.create(2);
        small.claim("a", FP, "t1", Duration.ofMillis(10));
        small.claim("b", FP, "t2", Duration.ofMillis(10));
        Thread.sleep(30);

        assertThat(small.claim("c", FP, "t3", Duration.ofMinutes(1)).status()).isEqualTo(ClaimResult.Status.CLAIMED);
        assertThat(small.size()).isEqualTo(1);
    }

    @Test
    void create_withNonPositiveBound_isRefused() {
        assertThatThrownBy(() -> InMemoryIdempotencyStore.create(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }
}
