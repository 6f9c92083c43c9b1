package dev.latchkey.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.idempotency.spi.StoredOutcome;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Bad input fails at the API boundary with a message naming the bad value, before the store is touched. */
class IdempotencyBadInputTest {

    private static final byte[] FP = {1, 2, 3};

    /** A store that counts every call, so a test can prove none happened. */
    private static final class CountingStore implements IdempotencyStore {
        final AtomicInteger calls = new AtomicInteger();
        final InMemoryIdempotencyStore delegate = InMemoryIdempotencyStore.create();

        @Override
        public ClaimResult claim(String key, byte[] fingerprint, String claimToken, Duration inProgressTimeout) {
            calls.incrementAndGet();
            return delegate.claim(key, fingerprint, claimToken, inProgressTimeout);
        }

        @Override
        public boolean complete(String key, String claimToken, StoredOutcome outcome, byte[] payload, Duration retention) {
            calls.incrementAndGet();
            return delegate.complete(key, claimToken, outcome, payload, retention);
        }

        @Override
        public boolean release(String key, String claimToken) {
            calls.incrementAndGet();
            return delegate.release(key, claimToken);
        }
    }

    private final CountingStore store = new CountingStore();
    private final Idempotency idem = Idempotency.builder(store).build();

    private void assertRefusedKey(String key, String messagePart) {
        assertThatThrownBy(() -> idem.execute(key, FP, ResponseCodec.utf8(), () -> "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(messagePart);
        assertThat(store.calls).as("the store is not touched for a bad key").hasValue(0);
    }

    @Test
    void execute_emptyKey_isRefused() {
        assertRefusedKey("", "empty");
    }

    @Test
    void execute_keyOver255Characters_isRefusedNamingItsLength() {
        assertRefusedKey("k".repeat(256), "256");
    }

    @Test
    void execute_keyOf255Characters_isAccepted() {
        assertThat(idem.execute("k".repeat(255), FP, ResponseCodec.utf8(), () -> "ok")).isEqualTo("ok");
    }

    @Test
    void execute_keyWithControlCharacter_isRefusedNamingIt() {
        assertRefusedKey("abc\u0007def", "U+0007");
    }

    @Test
    void execute_keyWithSpaceOrNonAscii_isRefused() {
        assertRefusedKey("two words", "U+0020");
        assertRefusedKey("caf\u00e9", "U+00E9");
    }

    @Test
    void execute_nullArguments_areRefusedByName() {
        assertThatThrownBy(() -> idem.execute(null, FP, ResponseCodec.utf8(), () -> "x"))
                .isInstanceOf(NullPointerException.class).hasMessage("key");
        assertThatThrownBy(() -> idem.execute("k", null, ResponseCodec.utf8(), () -> "x"))
                .isInstanceOf(NullPointerException.class).hasMessage("requestFingerprint");
        assertThatThrownBy(() -> idem.execute("k", FP, null, () -> "x"))
                .isInstanceOf(NullPointerException.class).hasMessage("codec");
        assertThatThrownBy(() -> idem.execute("k", FP, ResponseCodec.utf8(), null))
                .isInstanceOf(NullPointerException.class).hasMessage("action");
        assertThat(store.calls).hasValue(0);
    }

    @Test
    void execute_fingerprintOver128Bytes_isRefused() {
        assertThatThrownBy(() -> idem.execute("k", new byte[129], ResponseCodec.utf8(), () -> "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("129");
        assertThat(store.calls).hasValue(0);
    }

    @Test
    void builder_outOfRangeSettings_areRefusedNamingTheValue() {
        Idempotency.Builder b = Idempotency.builder(store);
        assertThatThrownBy(() -> b.inProgressTimeout(Duration.ofMillis(9))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inProgressTimeout").hasMessageContaining("PT0.009S");
        assertThatThrownBy(() -> b.retention(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retention");
        assertThatThrownBy(() -> b.waitForCompletion(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("waitForCompletion");
        assertThatThrownBy(() -> b.maxResponseBytes(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> b.inProgressTimeout(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("inProgressTimeout");
        assertThatThrownBy(() -> Idempotency.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("store");
    }

    @Test
    void execute_actionThrowsCheckedException_isWrappedAndClaimReleased() {
        assertThatThrownBy(() -> idem.execute("k", FP, ResponseCodec.utf8(), () -> {
            throw new IOException("disk");
        })).isInstanceOf(IdempotencyActionException.class).hasCauseInstanceOf(IOException.class);

        assertThat(idem.executeForResult("k", FP, ResponseCodec.utf8(), () -> "ok").replayed()).isFalse();
    }

    @Test
    void execute_codecReturnsNull_failsAndReleasesClaim() {
        ResponseCodec<String> broken = new ResponseCodec<>() {
            @Override
            public byte[] encode(String value) {
                return null;
            }

            @Override
            public String decode(byte[] bytes) {
                return "";
            }
        };
        assertThatThrownBy(() -> idem.execute("k", FP, broken, () -> "x")).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("codec returned null");
        assertThat(idem.executeForResult("k", FP, ResponseCodec.utf8(), () -> "ok").replayed()).isFalse();
    }
}
