package dev.latchkey.idempotency;

/**
 * The encoded response was larger than {@link Idempotency.Builder#maxResponseBytes(int)}. The
 * action ran, but nothing was stored and the claim was released, so a retry with the same key runs
 * the action again. Raise the limit or return a smaller response (for example an id to fetch).
 *
 * @since 0.1
 */
public class IdempotencyResponseTooLargeException extends IdempotencyException {
    private static final long serialVersionUID = 1L;

    private final int size;
    private final int limit;

    /**
     * Creates the exception.
     *
     * @param key the idempotency key
     * @param size the encoded size in bytes
     * @param limit the configured limit in bytes
     */
    public IdempotencyResponseTooLargeException(String key, int size, int limit) {
        super(key, "response for idempotency key \"" + key + "\" is " + size + " bytes encoded, more than the "
                + limit + " bytes allowed; nothing was stored and the claim was released", null);
        this.size = size;
        this.limit = limit;
    }

    /** @return the encoded size of the refused response, in bytes */
    public int size() {
        return size;
    }

    /** @return the configured limit, in bytes */
    public int limit() {
        return limit;
    }
}
