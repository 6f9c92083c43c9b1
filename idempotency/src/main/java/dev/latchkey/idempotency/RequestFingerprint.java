package dev.latchkey.idempotency;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Builds request fingerprints: a SHA-256 digest (32 bytes) of what makes a request that request,
 * so a key reused for a different request is refused with {@link IdempotencyKeyReuseException}.
 * Each part is length-prefixed before hashing, so {@code ("ab", "c")} and {@code ("a", "bc")} differ.
 *
 * @since 0.1
 */
public final class RequestFingerprint {

    private RequestFingerprint() {
    }

    /**
     * The fingerprint of an HTTP request: method, path (with query, if it matters) and body. Add
     * the caller's identity to the path or use {@link #sha256(byte[]...)} when keys are not
     * already scoped per caller.
     *
     * @param method the HTTP method, such as {@code POST}
     * @param path the request path
     * @param body the request body, empty if none
     * @return 32 bytes
     * @throws NullPointerException if an argument is null
     */
    public static byte[] of(String method, String path, byte[] body) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(body, "body");
        return sha256(method.getBytes(StandardCharsets.UTF_8), path.getBytes(StandardCharsets.UTF_8), body);
    }

    /**
     * The SHA-256 of the length-prefixed parts.
     *
     * @param parts the parts, in a fixed order
     * @return 32 bytes
     * @throws NullPointerException if {@code parts} or any part is null
     */
    public static byte[] sha256(byte[]... parts) {
        Objects.requireNonNull(parts, "parts");
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        for (int i = 0; i < parts.length; i++) {
            byte[] part = parts[i];
            if (part == null) {
                throw new NullPointerException("parts[" + i + "]");
            }
            digest.update(ByteBuffer.allocate(4).putInt(part.length).array());
            digest.update(part);
        }
        return digest.digest();
    }
}
