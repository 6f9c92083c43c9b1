/**
 * Seed 004, double spending: a JDBC ROW-mode lock with an atomic update.
 */
package dev.latchkey.examples.wallet;
