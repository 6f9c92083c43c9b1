package dev.latchkey.idempotency;

/**
 * A response together with where it came from: run now, or replayed from the store because an
 * earlier request with the same key and fingerprint completed.
 *
 * @param <T> the response type
 * @since 0.1
 */
public final class IdempotentResult<T> {

    private final T value;
    private final boolean replayed;

    IdempotentResult(T value, boolean replayed) {
        this.value = value;
        this.replayed = replayed;
    }

    /**
     * The response: the action's own return value when {@link #replayed()} is false, else the
     * stored response decoded by the codec.
     *
     * @return the response, null only if the action returned null and the codec kept it so
     */
    public T value() {
        return value;
    }

    /**
     * Whether the action was not run and the stored response of an earlier request was returned.
     * An HTTP server may say so in a header (for example {@code Idempotent-Replayed: true}).
     *
     * @return true for a replay
     */
    public boolean replayed() {
        return replayed;
    }

    @Override
    public String toString() {
        return "IdempotentResult{replayed=" + replayed + ", value=" + value + '}';
    }
}
