package dev.latchkey.idempotency.internal;

import java.nio.charset.StandardCharsets;

/**
 * The stored form of a final failure: the exception's class name, a newline, its message. Kept
 * text so an operator can read it in the store; the original exception object is not serialized.
 */
public final class FailurePayload {

    private FailurePayload() {
    }

    /** Encodes {@code failure}'s class name and message, cutting the message to fit {@code maxBytes}. */
    public static byte[] encode(Throwable failure, int maxBytes) {
        String message = failure.getMessage();
        byte[] bytes = (failure.getClass().getName() + (message == null ? "" : "\n" + message))
                .getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return bytes;
        }
        // A cut may split a UTF-8 sequence; decoding replaces the broken tail with U+FFFD, harmless here.
        return java.util.Arrays.copyOf(bytes, maxBytes);
    }

    /** The class name part of a payload. */
    public static String type(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    /** The message part of a payload, or null if the exception had none. */
    public static String message(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        return nl < 0 ? null : text.substring(nl + 1);
    }
}
