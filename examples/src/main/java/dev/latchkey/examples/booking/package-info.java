/**
 * Seed 004, double booking: a lock on the slot plus an idempotency key per request.
 */
package dev.latchkey.examples.booking;
