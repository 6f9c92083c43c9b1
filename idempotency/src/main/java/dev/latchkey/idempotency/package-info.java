/**
 * Run a request once and replay its stored response to duplicates, on Redis, JDBC or in memory.
 *
 * <p>Start at {@link dev.latchkey.idempotency.Idempotency}: build one over a store
 * ({@link dev.latchkey.idempotency.InMemoryIdempotencyStore},
 * {@link dev.latchkey.idempotency.RedisIdempotencyStore},
 * {@link dev.latchkey.idempotency.JdbcIdempotencyStore}) and call
 * {@link dev.latchkey.idempotency.Idempotency#execute} with the request's idempotency key, its
 * {@link dev.latchkey.idempotency.RequestFingerprint fingerprint}, a
 * {@link dev.latchkey.idempotency.ResponseCodec} and the action. Duplicates are answered with the
 * stored response, {@link dev.latchkey.idempotency.IdempotencyInProgressException} (HTTP 409) or
 * {@link dev.latchkey.idempotency.IdempotencyKeyReuseException} (HTTP 422).
 */
package dev.latchkey.idempotency;
