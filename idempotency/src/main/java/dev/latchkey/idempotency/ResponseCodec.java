package dev.latchkey.idempotency;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Turns an action's response into the bytes a store keeps, and back, so a duplicate request gets
 * the very response the first one got. Implementations must be thread-safe and must round-trip:
 * {@code decode(encode(v))} is equivalent to {@code v}.
 *
 * @param <T> the response type
 * @since 0.1
 */
public interface ResponseCodec<T> {

    /**
     * Encodes a response. The result is limited by {@link Idempotency.Builder#maxResponseBytes(int)}.
     *
     * @param value the action's response, possibly null if the action returned null
     * @return the bytes to store, never null
     */
    byte[] encode(T value);

    /**
     * Decodes a stored response.
     *
     * @param bytes the bytes {@link #encode(Object)} produced
     * @return the response
     */
    T decode(byte[] bytes);

    /**
     * A codec for strings as UTF-8. A null string is refused with {@link NullPointerException}
     * when encoded, because it could not be told apart from an empty one on replay.
     *
     * @return the shared UTF-8 codec
     */
    static ResponseCodec<String> utf8() {
        return Utf8Codec.INSTANCE;
    }

    /**
     * A codec that stores byte arrays as they are (copied, so later changes to the array do not
     * reach the stored response). A null array is refused with {@link NullPointerException}.
     *
     * @return the shared byte-array codec
     */
    static ResponseCodec<byte[]> bytes() {
        return BytesCodec.INSTANCE;
    }
}

/** UTF-8 strings. */
final class Utf8Codec implements ResponseCodec<String> {
    static final Utf8Codec INSTANCE = new Utf8Codec();

    @Override
    public byte[] encode(String value) {
        return Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

/** Raw bytes, defensively copied. */
final class BytesCodec implements ResponseCodec<byte[]> {
    static final BytesCodec INSTANCE = new BytesCodec();

    @Override
    public byte[] encode(byte[] value) {
        return Objects.requireNonNull(value, "value").clone();
    }

    @Override
    public byte[] decode(byte[] bytes) {
        return bytes.clone();
    }
}
