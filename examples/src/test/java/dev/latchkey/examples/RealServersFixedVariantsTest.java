package dev.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.examples.booking.BookingScenario;
import dev.latchkey.examples.http.DuplicateRequestsScenario;
import dev.latchkey.examples.inventory.InventoryScenario;
import dev.latchkey.examples.inventoryservice.InventoryServiceScenario;
import dev.latchkey.examples.orders.OrdersScenario;
import dev.latchkey.examples.redisstock.RedisStockScenario;
import dev.latchkey.examples.saga.SagaScenario;
import dev.latchkey.examples.wallet.WalletScenario;
import dev.latchkey.testkit.db.Databases;
import dev.latchkey.testkit.db.TestDatabase;
import dev.latchkey.testkit.redis.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every scenario's fixed variants on real servers, as {@code --redis} and {@code --jdbc} run them:
 * the Redis token lock and Redis idempotency store, PostgreSQL for the data (and its row locks).
 * A missing server fails the test with testkit's message; nothing is skipped.
 */
class RealServersFixedVariantsTest {

    private static Backends backends;

    @BeforeAll
    static void start() {
        TestDatabase pg = Databases.postgres();
        backends = Backends.builder()
                .redis(RedisServers.sharedUri())
                .jdbc(pg.jdbcUrl(), pg.user(), pg.password())
                .build();
        assertThat(backends.lockBackend()).isEqualTo(Backends.LockBackend.REDIS);
        assertThat(backends.embeddedDatabase()).isFalse();
    }

    @AfterAll
    static void stop() {
        backends.close();
    }

    @Test
    void inventory_onRedisLockAndPostgres_neverOversells() throws Exception {
        ScenarioReport r = FixedVariants.runAndCheck(backends, new InventoryScenario());
        r.rows().forEach(row -> assertThat(row.outcome().actual()).startsWith("10 sold, 5 rejected, 0 left"));
    }

    @Test
    void redisStock_separateProcessesUnderTokenLock_sellOneItemOnce() throws Exception {
        ScenarioReport r = FixedVariants.runAndCheck(backends, new RedisStockScenario());
        assertThat(r.rows().get(0).outcome().actual()).startsWith("1 sold, 5 rejected");
    }

    @Test
    void orders_onPostgres_neverOversell() throws Exception {
        ScenarioReport r = FixedVariants.runAndCheck(backends, new OrdersScenario());
        assertThat(FixedVariants.row(r, "SELECT ... FOR UPDATE").outcome().actual()).isEqualTo("5 orders, 0 left");
    }

    @Test
    void inventoryService_onRedisLocks_includingLockAll_neverOversells() throws Exception {
        FixedVariants.runAndCheck(backends, new InventoryServiceScenario());
    }

    @Test
    void wallet_rowModeOnPostgres_neverDoubleSpends() throws Exception {
        ScenarioReport r = FixedVariants.runAndCheck(backends, new WalletScenario());
        r.rows().forEach(row -> assertThat(row.outcome().actual()).isEqualTo("paid 100, balance 0, 10 rejected"));
    }

    @Test
    void booking_redisLockAndRedisIdempotencyStore_makeOneBooking() throws Exception {
        ScenarioReport r = FixedVariants.runAndCheck(backends, new BookingScenario());
        assertThat(r.rows().get(0).outcome().actual()).startsWith("1 booking (0 by retried requests)");
    }

    @Test
    void duplicateRequests_redisIdempotencyStore_chargesOnce() throws Exception {
        ScenarioReport r = FixedVariants.runAndCheck(backends, new DuplicateRequestsScenario());
        assertThat(r.rows().get(0).outcome().actual()).startsWith("1 charge;").contains("reused key 422");
    }

    @Test
    void saga_redisIdempotencyStore_leavesEverySagaAllOrNothingOnce() throws Exception {
        FixedVariants.runAndCheck(backends, new SagaScenario());
    }
}
