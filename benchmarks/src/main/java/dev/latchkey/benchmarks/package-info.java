/**
 * JMH and load benchmarks of Latchkey next to the floor of raw commands.
 */
package dev.latchkey.benchmarks;
