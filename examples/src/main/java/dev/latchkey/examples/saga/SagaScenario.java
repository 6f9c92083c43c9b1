package dev.latchkey.examples.saga;

import dev.latchkey.examples.Backends;
import dev.latchkey.examples.Crowd;
import dev.latchkey.examples.Outcome;
import dev.latchkey.examples.Scenario;
import dev.latchkey.examples.Settings;
import dev.latchkey.examples.Variant;
import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.RequestFingerprint;
import dev.latchkey.idempotency.ResponseCodec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seed 004's saga: reserve the item, charge the wallet, reserve a delivery slot; a failed step
 * compensates the earlier ones in reverse. The orchestrator's messages are delivered at least
 * once, so every saga runs twice at the same time. Without idempotent steps a redelivered saga
 * applies its steps twice; with each step and each compensation behind an idempotency key, every
 * saga ends all-or-nothing, exactly once.
 */
public final class SagaScenario implements Scenario {

    static final int CUSTOMERS = 6;
    static final int DELIVERIES = 2;
    static final int STOCK = 10;
    static final int SLOTS = 4;
    static final long PRICE = 30;
    /** One customer cannot pay, so some sagas compensate for that reason too. */
    static final String POOR_CUSTOMER = "customer-4";

    private final AtomicInteger runs = new AtomicInteger();

    @Override
    public String name() {
        return "saga";
    }

    @Override
    public String title() {
        return "seed 004: " + CUSTOMERS + " sagas (item, wallet, slot), each delivered " + DELIVERIES + " times";
    }

    @Override
    public String violationLabel() {
        return "double-applied";
    }

    @Override
    public List<Variant> variants(Backends backends, Settings settings) {
        return List.of(
                Variant.broken("steps without idempotency keys", () -> run(backends, settings, false)),
                Variant.fixed("each step and compensation idempotent", () -> run(backends, settings, true)));
    }

    /** How a step is executed: directly, or once per (saga, step) key. */
    @FunctionalInterface
    interface StepRunner {
        String run(String saga, String step, Callable<String> action) throws Exception;
    }

    /** The orchestrator: forward steps, and on a failure the compensations in reverse. */
    static String runSaga(SagaServices s, StepRunner step, String saga, String customer) throws Exception {
        String item = step.run(saga, "reserve-item", () -> s.reserveItem(saga));
        if (!item.equals(SagaServices.OK)) {
            return "FAILED " + item;
        }
        String paid = step.run(saga, "charge", () -> s.charge(saga, customer, PRICE));
        if (!paid.equals(SagaServices.OK)) {
            step.run(saga, "release-item", () -> s.releaseItem(saga));
            return "COMPENSATED " + paid;
        }
        String slot = step.run(saga, "reserve-slot", () -> s.reserveSlot(saga));
        if (!slot.equals(SagaServices.OK)) {
            step.run(saga, "refund", () -> s.refund(saga, customer, PRICE));
            step.run(saga, "release-item", () -> s.releaseItem(saga));
            return "COMPENSATED " + slot;
        }
        return "COMPLETED";
    }

    private Outcome run(Backends backends, Settings settings, boolean idempotentSteps) throws Exception {
        String run = "saga-" + runs.incrementAndGet();
        Map<String, Long> balances = new LinkedHashMap<>();
        List<String> sagas = new ArrayList<>();
        for (int c = 0; c < CUSTOMERS; c++) {
            balances.put("customer-" + c, ("customer-" + c).equals(POOR_CUSTOMER) ? PRICE / 3 : 100L);
            sagas.add(run + "-order-" + c);
        }
        // A redelivered step waits for the first delivery's answer instead of failing with 409.
        Idempotency idempotency = backends.idempotencyBuilder()
                .waitForCompletion(Duration.ofSeconds(30))
                .build();
        StepRunner step = idempotentSteps
                ? (saga, name, action) -> idempotency.execute(backends.scoped(saga + ":" + name),
                        RequestFingerprint.sha256(saga.getBytes(StandardCharsets.UTF_8),
                                name.getBytes(StandardCharsets.UTF_8)),
                        ResponseCodec.utf8(), action)
                : (saga, name, action) -> action.call();
        try (SagaServices services = new SagaServices(backends.dataSource(), settings, STOCK, SLOTS, balances)) {
            Crowd.run(CUSTOMERS * DELIVERIES, i -> () -> {
                int c = i % CUSTOMERS;
                return runSaga(services, step, sagas.get(c), "customer-" + c);
            });
            Map<String, SagaServices.Net> net = services.netEffects(sagas);
            long completed = net.values().stream().filter(n -> n.exactlyOnce(PRICE)).count();
            long undone = net.values().stream().filter(SagaServices.Net::nothing).count();
            long broken = net.size() - completed - undone;
            String actual = completed + " completed, " + undone + " failed or compensated, " + broken
                    + " doubled or half-done; stock " + services.stock() + ", free slots " + services.freeSlots();
            return new Outcome("each saga all-or-nothing, once", actual, broken, undone);
        }
    }
}
