/**
 * Seed 004: a saga whose steps and compensations are idempotent, so redelivery never double-applies.
 */
package dev.latchkey.examples.saga;
