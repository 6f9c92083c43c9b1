/**
 * JMH benchmarks of {@code dev.latchkey.retry}: the per-call overhead of a retry when the first attempt
 * succeeds, and of a call that conflicts twice with zero backoff, next to a plain call, a hand-written loop,
 * Resilience4j and Failsafe.
 */
package dev.latchkey.benchmarks.retry;
