/**
 * The lock contract every {@link dev.latchkey.lock.LockProvider} passes: extend
 * {@link dev.latchkey.testkit.lock.LockContract} in a backend's tests and supply a provider factory.
 */
package dev.latchkey.testkit.lock;
