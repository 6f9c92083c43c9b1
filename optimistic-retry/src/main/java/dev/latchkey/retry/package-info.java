/**
 * Retry with exponential backoff and jitter around version-checked (optimistic) updates.
 */
package dev.latchkey.retry;
