package dev.latchkey.idempotency;

/**
 * Another request with the same key and fingerprint is being processed right now (and, if a wait
 * was configured, did not finish within it). The action was not run. HTTP servers answer
 * {@value #HTTP_STATUS} Conflict; the client may retry later with the same key and receive the
 * stored response.
 *
 * @since 0.1
 */
public class IdempotencyInProgressException extends IdempotencyException {
    private static final long serialVersionUID = 1L;

    /** The HTTP status this exception maps to: 409 Conflict. */
    public static final int HTTP_STATUS = 409;

    /**
     * Creates the exception.
     *
     * @param key the idempotency key
     */
    public IdempotencyInProgressException(String key) {
        super(key, "a request with idempotency key \"" + key + "\" is still in progress", null);
    }
}
