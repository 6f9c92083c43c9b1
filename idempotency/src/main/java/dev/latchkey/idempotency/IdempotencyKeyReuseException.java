package dev.latchkey.idempotency;

/**
 * The key was already used for a request with a different fingerprint (a different body, path or
 * caller). Refused whether that earlier request is in progress or completed, and the action was
 * not run. HTTP servers answer {@value #HTTP_STATUS} Unprocessable Content: the client is reusing a
 * key for a new request, which is a client bug.
 *
 * @since 0.1
 */
public class IdempotencyKeyReuseException extends IdempotencyException {
    private static final long serialVersionUID = 1L;

    /** The HTTP status this exception maps to: 422 Unprocessable Content. */
    public static final int HTTP_STATUS = 422;

    /**
     * Creates the exception.
     *
     * @param key the idempotency key
     */
    public IdempotencyKeyReuseException(String key) {
        super(key, "idempotency key \"" + key + "\" was already used for a request with a different fingerprint",
                null);
    }
}
