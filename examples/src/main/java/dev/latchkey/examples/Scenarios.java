package dev.latchkey.examples;

import dev.latchkey.examples.booking.BookingScenario;
import dev.latchkey.examples.http.DuplicateRequestsScenario;
import dev.latchkey.examples.inventory.InventoryScenario;
import dev.latchkey.examples.inventoryservice.InventoryServiceScenario;
import dev.latchkey.examples.orders.OrdersScenario;
import dev.latchkey.examples.redisstock.RedisStockScenario;
import dev.latchkey.examples.saga.SagaScenario;
import dev.latchkey.examples.wallet.WalletScenario;

import java.util.List;

/** Every scenario, in the order the launcher runs them. */
public final class Scenarios {

    private Scenarios() {
    }

    public static List<Scenario> all() {
        return List.of(
                new InventoryScenario(),
                new RedisStockScenario(),
                new OrdersScenario(),
                new InventoryServiceScenario(),
                new WalletScenario(),
                new BookingScenario(),
                new DuplicateRequestsScenario(),
                new SagaScenario());
    }
}
