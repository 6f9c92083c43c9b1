package dev.latchkey.idempotency.internal;

import java.util.Objects;

/**
 * The checks run at the API boundary before any I/O, so a bad key fails the same way on every
 * store. Keys are limited to visible ASCII because they travel in HTTP headers and become Redis
 * keys and database primary keys, where other characters would compare differently per collation.
 */
public final class IdempotencyValidation {

    /** The longest key, in characters. */
    public static final int MAX_KEY_LENGTH = 255;

    /** The longest fingerprint, in bytes: room for any digest (SHA-512 is 64 bytes). */
    public static final int MAX_FINGERPRINT_BYTES = 128;

    private IdempotencyValidation() {
    }

    /**
     * Returns {@code key} if it is 1 to 255 visible ASCII characters (U+0021 to U+007E).
     *
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException naming the bad value otherwise
     */
    public static String key(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("idempotency key must not be empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("idempotency key is " + key.length() + " characters, more than the "
                    + MAX_KEY_LENGTH + " allowed: \"" + escaped(key.substring(0, 40)) + "...\"");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException(String.format(
                        "idempotency key must be visible ASCII (U+0021..U+007E): found U+%04X at index %d in \"%s\"",
                        (int) c, i, escaped(key)));
            }
        }
        return key;
    }

    /**
     * Returns {@code fingerprint} if it is at most 128 bytes (an empty one matches only an empty one).
     *
     * @throws NullPointerException if {@code fingerprint} is null
     * @throws IllegalArgumentException naming its length otherwise
     */
    public static byte[] fingerprint(byte[] fingerprint) {
        Objects.requireNonNull(fingerprint, "requestFingerprint");
        if (fingerprint.length > MAX_FINGERPRINT_BYTES) {
            throw new IllegalArgumentException("request fingerprint is " + fingerprint.length
                    + " bytes, more than the " + MAX_FINGERPRINT_BYTES + " allowed: pass a digest such as SHA-256");
        }
        return fingerprint;
    }

    private static String escaped(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
