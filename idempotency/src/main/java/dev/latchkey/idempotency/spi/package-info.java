/**
 * Extension points: {@link dev.latchkey.idempotency.spi.IdempotencyStore}, the contract a store
 * keeps, and {@link dev.latchkey.idempotency.spi.IdempotencyMetrics}. Implement a store only if the
 * three shipped ones do not fit; it must pass the store contract in the test sources.
 */
package dev.latchkey.idempotency.spi;
