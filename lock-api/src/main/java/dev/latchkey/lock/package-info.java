/**
 * Distributed locks with leases and fencing tokens.
 *
 * <p>The API: a {@link dev.latchkey.lock.LockProvider} hands out
 * {@link dev.latchkey.lock.DistributedLock}s; acquiring one yields a
 * {@link dev.latchkey.lock.LockLease} to use in try-with-resources.
 * {@link dev.latchkey.lock.LocalLockProvider} keeps the same semantics inside one JVM;
 * {@code latchkey-lock-redis} and {@code latchkey-lock-jdbc} add the Redis and database backends.
 * Backends build on {@link dev.latchkey.lock.spi}; {@code internal} may change without notice.
 */
package dev.latchkey.lock;
