/**
 * Lock metrics on Micrometer. Loaded only when a provider is given a
 * {@code io.micrometer.core.instrument.MeterRegistry}; Micrometer is an optional dependency.
 */
package dev.latchkey.lock.micrometer;
