/**
 * Retry with exponential backoff and jitter around version-checked (optimistic) updates.
 *
 * <p>Build a {@link dev.latchkey.retry.RetryPolicy} (attempts, deadline, {@link dev.latchkey.retry.Backoff} with
 * a {@link dev.latchkey.retry.Jitter}, what to retry, listeners, a shared {@link dev.latchkey.retry.RetryBudget})
 * and run code under it with {@link dev.latchkey.retry.Retry}. {@link dev.latchkey.retry.VersionedUpdate} turns
 * a JDBC {@code UPDATE ... WHERE version = ?} that changed no row into a
 * {@link dev.latchkey.retry.ConcurrencyConflictException}, the failure retried by default.
 * Everything in {@code dev.latchkey.retry.internal} may change without notice.
 */
package dev.latchkey.retry;
