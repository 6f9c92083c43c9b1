package dev.latchkey.lock.spi;

import java.security.SecureRandom;

/**
 * 128-bit random owner tokens, hex encoded: unguessable, so no other owner can forge a release.
 * Shared by the lock backends and by the idempotency module's claim tokens.
 *
 * @since 0.1
 */
public final class OwnerTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private OwnerTokens() {
    }

    /** A new token of 32 lowercase hex characters. */
    public static String next() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        char[] out = new char[32];
        for (int i = 0; i < 16; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }
}
