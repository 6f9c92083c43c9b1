/**
 * Seed 002: orders with version-checked updates and retry, and with {@code SELECT ... FOR UPDATE}.
 */
package dev.latchkey.examples.orders;
