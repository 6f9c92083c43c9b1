/**
 * Seed 004, duplicate requests: a payment endpoint on the JDK HTTP server honouring {@code Idempotency-Key}.
 */
package dev.latchkey.examples.http;
