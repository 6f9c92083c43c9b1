package dev.latchkey.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testkit.db.Databases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The seed 002 order flow, as printed in the module's README section: a version column, a version-checked
 * {@code UPDATE}, and the whole read-modify-write retried with exponential backoff up to 3 attempts. Kept as a
 * test so the snippet stays true. 15 customers race for 10 laptops: never more than 10 are sold.
 */
class OrderFlowExampleTest {

    // --- README snippet start ---
    static final class InsufficientStockException extends RuntimeException {
        InsufficientStockException(String message) {
            super(message);
        }
    }

    static final class OrderService {
        private static final VersionedUpdate TAKE_STOCK = VersionedUpdate.of(
                "UPDATE inventory_items SET quantity_available = ?, version = version + 1"
                        + " WHERE id = ? AND version = ?");

        private final DataSource dataSource;
        private final Retry retry = Retry.of(RetryPolicy.builder()
                .maxAttempts(3)
                .backoff(Backoff.exponential(Duration.ofMillis(20), 2.0, Duration.ofMillis(200))
                        .withJitter(Jitter.FULL))
                .retryOn(ConcurrencyConflictException.class)
                .build());

        OrderService(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /** Takes {@code quantity} items; the whole transaction is retried on a version conflict. */
        void placeOrder(long itemId, int quantity) {
            retry.call(() -> {
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    try {
                        int available;
                        long version;
                        try (PreparedStatement read = c.prepareStatement(
                                "SELECT quantity_available, version FROM inventory_items WHERE id = ?")) {
                            read.setLong(1, itemId);
                            try (ResultSet rs = read.executeQuery()) {
                                rs.next();
                                available = rs.getInt(1);
                                version = rs.getLong(2);
                            }
                        }
                        if (available < quantity) {
                            throw new InsufficientStockException(available + " left, " + quantity + " wanted");
                        }
                        TAKE_STOCK.execute(c, available - quantity, itemId, version); // 0 rows: conflict
                        c.commit();
                        return null;
                    } catch (SQLException | RuntimeException e) {
                        c.rollback();
                        throw e;
                    }
                }
            });
        }
    }
    // --- README snippet end ---

    @Test
    void fifteenCustomers_tenLaptops_neverOversell() throws Exception {
        DataSource ds = Databases.h2().dataSource();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE inventory_items (id BIGINT PRIMARY KEY, quantity_available INT NOT NULL,"
                    + " version BIGINT NOT NULL)");
            s.execute("INSERT INTO inventory_items VALUES (1, 10, 0)");
        }
        try {
            OrderService service = new OrderService(ds);
            int sold = 0;
            int outOfStock = 0;
            int gaveUp = 0;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(15);
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        service.placeOrder(1, 1);
                        return "sold";
                    } catch (InsufficientStockException e) {
                        return "out of stock";
                    } catch (RetryExhaustedException e) {
                        return "gave up";
                    }
                }));
            }
            start.countDown();
            for (Future<String> f : outcomes) {
                switch (f.get(1, TimeUnit.MINUTES)) {
                    case "sold": sold++; break;
                    case "out of stock": outOfStock++; break;
                    default: gaveUp++;
                }
            }
            pool.shutdown();
            int left;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT quantity_available FROM inventory_items WHERE id = 1")) {
                rs.next();
                left = rs.getInt(1);
            }
            System.out.printf("orders: %d sold, %d out of stock, %d gave up after 3 attempts, %d left%n",
                    sold, outOfStock, gaveUp, left);
            assertThat(left).as("stock never negative").isGreaterThanOrEqualTo(0);
            assertThat(sold + left).as("every sale took exactly one laptop: no oversell, no lost update")
                    .isEqualTo(10);
            assertThat(sold + outOfStock + gaveUp).isEqualTo(15);
        } finally {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE inventory_items");
            }
        }
    }
}
