package dev.latchkey.examples.inventory;

import dev.latchkey.retry.Backoff;
import dev.latchkey.retry.ConcurrencyConflictException;
import dev.latchkey.retry.Jitter;
import dev.latchkey.retry.Retry;
import dev.latchkey.retry.RetryListener;
import dev.latchkey.retry.RetryPolicy;
import dev.latchkey.retry.VersionedUpdate;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Seed 001's "optimistic locking (version numbers)": read quantity and version, pause, write only if
 * the version is unchanged; on a conflict read again and retry, with exponential backoff and full
 * jitter so the losers do not all come back in the same millisecond.
 */
final class OptimisticBuyer {

    private final AtomicLong conflicts = new AtomicLong();
    private final Retry retry = Retry.of(RetryPolicy.builder()
            .maxAttempts(100)
            .maxDuration(Duration.ofSeconds(60))
            .backoff(Backoff.exponential(Duration.ofMillis(5), 2.0, Duration.ofMillis(200)).withJitter(Jitter.FULL))
            .retryOn(ConcurrencyConflictException.class)
            .listener(new RetryListener() {
                @Override
                public void onRetryScheduled(int attempt, Throwable failure, Duration delay) {
                    conflicts.incrementAndGet();
                }
            })
            .build());

    boolean buy(Warehouse w) {
        VersionedUpdate update = VersionedUpdate.of(
                "UPDATE " + w.table + " SET quantity = ?, version = version + 1 WHERE id = ? AND version = ?");
        // The whole read-check-write is retried, never the write alone: a retry must see fresh data.
        return retry.call(() -> {
            Warehouse.Snapshot s = w.read();
            if (s.quantity() < 1) {
                return false;
            }
            w.settings().pauseBetweenCheckAndAct();
            try (Connection c = w.dataSource().getConnection()) {
                update.execute(c, s.quantity() - 1, Warehouse.PRODUCT, s.version());
            }
            return true;
        });
    }

    long conflicts() {
        return conflicts.get();
    }
}
