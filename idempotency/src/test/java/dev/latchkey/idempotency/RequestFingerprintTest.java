package dev.latchkey.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestFingerprintTest {

    @Test
    void of_sameRequest_givesSameFingerprint() {
        byte[] body = "{\"amount\":5}".getBytes(StandardCharsets.UTF_8);
        assertThat(RequestFingerprint.of("POST", "/orders", body)).hasSize(32)
                .isEqualTo(RequestFingerprint.of("POST", "/orders", body.clone()));
    }

    @Test
    void of_differentBodyOrPath_givesDifferentFingerprint() {
        byte[] body = "{\"amount\":5}".getBytes(StandardCharsets.UTF_8);
        byte[] base = RequestFingerprint.of("POST", "/orders", body);
        assertThat(RequestFingerprint.of("POST", "/orders", "{\"amount\":6}".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(base);
        assertThat(RequestFingerprint.of("POST", "/refunds", body)).isNotEqualTo(base);
    }

    @Test
    void sha256_partBoundariesMatter() {
        assertThat(RequestFingerprint.sha256("ab".getBytes(StandardCharsets.UTF_8), "c".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(RequestFingerprint.sha256("a".getBytes(StandardCharsets.UTF_8),
                        "bc".getBytes(StandardCharsets.UTF_8)));
    }
}
