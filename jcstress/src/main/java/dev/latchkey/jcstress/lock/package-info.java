/**
 * jcstress harnesses for {@link dev.latchkey.lock.LocalLockProvider}: mutual exclusion, release
 * and expiry racing acquire, fencing order, multi-locks, eviction and auto-renewal.
 */
package dev.latchkey.jcstress.lock;
