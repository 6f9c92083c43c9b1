package dev.latchkey.lock;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Ordinary application code that uses the local provider and its builder; loaded by
 * {@link LocalLockProviderWithoutMicrometerTest} in a class loader that has no Micrometer.
 */
public final class NoMicrometerProbe implements Supplier<String> {

    @Override
    public String get() {
        try (LocalLockProvider locks = LocalLockProvider.builder()
                .defaults(LockOptions.builder().leaseTime(Duration.ofSeconds(5)).build())
                .build()) {
            DistributedLock lock = locks.lock("no-micrometer");
            try (LockLease lease = lock.acquire(Duration.ofSeconds(1))) {
                if (!lease.isHeld() || lock.tryAcquire().isPresent()) {
                    return "lease not exclusive";
                }
            }
            return lock.tryAcquire().map(l -> {
                l.release();
                return "ok";
            }).orElse("released lock not granted");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
