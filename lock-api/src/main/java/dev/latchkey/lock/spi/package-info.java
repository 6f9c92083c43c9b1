/**
 * What lock backends implement and reuse: {@link dev.latchkey.lock.spi.LockBackend} (single
 * attempts), {@link dev.latchkey.lock.spi.ReleaseSignals} (wake-ups),
 * {@link dev.latchkey.lock.spi.BackendLockProvider} (the shared waiting, leases, renewal and
 * multi-lock logic), {@link dev.latchkey.lock.spi.LockMetrics},
 * {@link dev.latchkey.lock.spi.LockValidation}, and two helpers for backends with a hand-off delay,
 * {@link dev.latchkey.lock.spi.LateWakes} and {@link dev.latchkey.lock.spi.NameDeadlines}.
 * Applications do not need this package.
 */
package dev.latchkey.lock.spi;
