/**
 * jcstress harnesses for {@link dev.latchkey.retry.RetryBudget}'s token accounting: the last
 * token, spend racing refill, and refill at capacity racing spend.
 */
package dev.latchkey.jcstress.retry;
