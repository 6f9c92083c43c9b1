package dev.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.examples.booking.BookingScenario;
import dev.latchkey.examples.http.DuplicateRequestsScenario;
import dev.latchkey.examples.inventory.InventoryScenario;
import dev.latchkey.examples.inventoryservice.InventoryServiceScenario;
import dev.latchkey.examples.saga.SagaScenario;
import dev.latchkey.testkit.db.Databases;
import dev.latchkey.testkit.db.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fixed variants that use locks or idempotency keys, as {@code --jdbc} alone runs them:
 * PostgreSQL lease-table locks and the JDBC idempotency store.
 */
class PostgresOnlyFixedVariantsTest {

    private static Backends backends;

    @BeforeAll
    static void start() {
        TestDatabase pg = Databases.postgres();
        backends = Backends.builder().jdbc(pg.jdbcUrl(), pg.user(), pg.password()).build();
        assertThat(backends.lockBackend()).isEqualTo(Backends.LockBackend.JDBC);
        assertThat(backends.describe()).contains("JdbcIdempotencyStore");
    }

    @AfterAll
    static void stop() {
        backends.close();
    }

    @Test
    void inventory_onPostgresLeaseLocks_neverOversells() throws Exception {
        ScenarioReport r = FixedVariants.runAndCheck(backends, new InventoryScenario());
        assertThat(FixedVariants.row(r, "DistributedLock").outcome().actual()).startsWith("10 sold, 5 rejected, 0 left");
    }

    @Test
    void inventoryService_onPostgresLeaseLocks_includingLockAll_neverOversells() throws Exception {
        FixedVariants.runAndCheck(backends, new InventoryServiceScenario());
    }

    @Test
    void booking_postgresLockAndIdempotencyTable_makeOneBooking() throws Exception {
        ScenarioReport r = FixedVariants.runAndCheck(backends, new BookingScenario());
        assertThat(r.rows().get(0).outcome().actual()).startsWith("1 booking (0 by retried requests)");
    }

    @Test
    void duplicateRequests_postgresIdempotencyTable_chargesOnce() throws Exception {
        ScenarioReport r = FixedVariants.runAndCheck(backends, new DuplicateRequestsScenario());
        assertThat(r.rows().get(0).outcome().actual()).startsWith("1 charge;").contains("reused key 422");
    }

    @Test
    void saga_postgresIdempotencyTable_leavesEverySagaAllOrNothingOnce() throws Exception {
        FixedVariants.runAndCheck(backends, new SagaScenario());
    }
}
