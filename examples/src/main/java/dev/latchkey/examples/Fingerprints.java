package dev.latchkey.examples;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Request fingerprints for idempotency keys: a SHA-256 of what makes two requests "the same". */
public final class Fingerprints {

    private Fingerprints() {
    }

    /** SHA-256 of the parts, each followed by a newline so that ("ab", "c") differs from ("a", "bc"). */
    public static byte[] sha256(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                md.update(p.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
