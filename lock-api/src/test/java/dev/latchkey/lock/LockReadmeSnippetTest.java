package dev.latchkey.lock;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the lock-api snippet of README.md compiling and true: edit both together. */
class LockReadmeSnippetTest {

    /** The storage of the snippet: it keeps the largest fencing token it accepted. */
    static final class StockStore {
        private final AtomicLong lastToken = new AtomicLong();
        private int quantity = 10;

        /** Rejects a write whose token is not larger than the last accepted one. */
        boolean decrement(String sku, long fencingToken) {
            long last = lastToken.get();
            if (fencingToken <= last || !lastToken.compareAndSet(last, fencingToken)) {
                return false;
            }
            quantity--;
            return true;
        }
    }

    @Test
    void readmeSnippet_acquiresWritesWithTheFencingTokenAndReleases() throws InterruptedException {
        StockStore stockStore = new StockStore();
        // --- README snippet begins ---
        try (LockProvider locks = new LocalLockProvider()) {
            DistributedLock lock = locks.lock("stock:laptop");
            try (LockLease lease = lock.acquire(Duration.ofSeconds(2))) {
                // Storage rejects a write whose token is not larger than the last one it accepted,
                // so a holder that paused past its lease cannot overwrite a newer holder's work.
                if (!stockStore.decrement("laptop", lease.fencingToken())) {
                    throw new LockLostException("a newer holder already wrote");
                }
            }
        }
        // --- README snippet ends ---
        assertThat(stockStore.quantity).isEqualTo(9);
    }
}
