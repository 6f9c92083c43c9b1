/**
 * Seed 001: the laptop stock oversold by check-then-act, and three fixes.
 */
package dev.latchkey.examples.inventory;
