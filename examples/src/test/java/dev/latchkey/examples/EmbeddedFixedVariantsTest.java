package dev.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.examples.booking.BookingScenario;
import dev.latchkey.examples.http.DuplicateRequestsScenario;
import dev.latchkey.examples.inventory.InventoryScenario;
import dev.latchkey.examples.inventoryservice.InventoryServiceScenario;
import dev.latchkey.examples.orders.OrdersScenario;
import dev.latchkey.examples.saga.SagaScenario;
import dev.latchkey.examples.wallet.WalletScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every scenario's fixed variants on the embedded default (in-JVM lock, H2, in-memory
 * idempotency store): the invariant holds, and where the answer is exact, it is exact.
 */
class EmbeddedFixedVariantsTest {

    private static Backends backends;

    @BeforeAll
    static void start() {
        backends = Backends.embedded();
        assertThat(backends.lockBackend()).isEqualTo(Backends.LockBackend.LOCAL);
        assertThat(backends.embeddedDatabase()).isTrue();
    }

    @AfterAll
    static void stop() {
        backends.close();
    }

    @Test
    void inventory_fixedVariants_sellExactlyTheStock_neverOversell() throws Exception {
        ScenarioReport r = FixedVariants.runAndCheck(backends, new InventoryScenario());
        r.rows().forEach(row -> assertThat(row.outcome().actual()).startsWith("10 sold, 5 rejected, 0 left"));
    }

    @Test
    void orders_fixedVariants_neverOversell() throws Exception {
        ScenarioReport r = FixedVariants.runAndCheck(backends, new OrdersScenario());
        assertThat(FixedVariants.row(r, "SELECT ... FOR UPDATE").outcome().actual()).isEqualTo("5 orders, 0 left");
    }

    @Test
    void inventoryService_fixes_loseNothing_andNeverOversell() throws Exception {
        FixedVariants.runAndCheck(backends, new InventoryServiceScenario());
    }

    @Test
    void wallet_fixedVariants_payExactlyTheBalance_neverDoubleSpend() throws Exception {
        ScenarioReport r = FixedVariants.runAndCheck(backends, new WalletScenario());
        r.rows().forEach(row -> assertThat(row.outcome().actual()).isEqualTo("paid 100, balance 0, 10 rejected"));
    }

    @Test
    void booking_lockAndIdempotencyKey_makeOneBooking() throws Exception {
        ScenarioReport r = FixedVariants.runAndCheck(backends, new BookingScenario());
        assertThat(r.rows().get(0).outcome().actual()).startsWith("1 booking (0 by retried requests)");
    }

    @Test
    void duplicateRequests_idempotentEndpoint_chargesOnce() throws Exception {
        ScenarioReport r = FixedVariants.runAndCheck(backends, new DuplicateRequestsScenario());
        assertThat(r.rows().get(0).outcome().actual()).startsWith("1 charge;").contains("reused key 422");
    }

    @Test
    void saga_idempotentSteps_leaveEverySagaAllOrNothingOnce() throws Exception {
        FixedVariants.runAndCheck(backends, new SagaScenario());
    }
}
