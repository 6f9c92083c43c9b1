/**
 * jcstress harnesses for {@link dev.latchkey.idempotency.InMemoryIdempotencyStore}: racing claims,
 * racing takeovers of an expired claim, and a stale completion racing a takeover.
 */
package dev.latchkey.jcstress.idempotency;
