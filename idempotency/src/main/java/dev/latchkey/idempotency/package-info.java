/**
 * Run a request once and replay its stored response to duplicates, on Redis, JDBC or in memory.
 */
package dev.latchkey.idempotency;
