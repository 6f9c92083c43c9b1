package dev.latchkey.examples.orders;

import dev.latchkey.examples.Backends;
import dev.latchkey.examples.Crowd;
import dev.latchkey.examples.Ledger;
import dev.latchkey.examples.Outcome;
import dev.latchkey.examples.Scenario;
import dev.latchkey.examples.Settings;
import dev.latchkey.examples.Variant;
import dev.latchkey.retry.Backoff;
import dev.latchkey.retry.ConcurrencyConflictException;
import dev.latchkey.retry.Jitter;
import dev.latchkey.retry.Retry;
import dev.latchkey.retry.RetryExhaustedException;
import dev.latchkey.retry.RetryListener;
import dev.latchkey.retry.RetryPolicy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Seed 002: concurrent orders for one item. Unguarded, both check and both succeed (negative
 * stock). Fixed with version-checked updates retried up to 3 times with exponential backoff, as
 * the seed does (some orders may give up: that is the seed's "fails gracefully"), and with
 * {@code SELECT ... FOR UPDATE}.
 */
public final class OrdersScenario implements Scenario {

    static final int STOCK = 5;
    static final int ORDERS = 10;

    @Override
    public String name() {
        return "orders";
    }

    @Override
    public String title() {
        return "seed 002: " + ORDERS + " concurrent orders for an item with " + STOCK + " in stock";
    }

    @Override
    public String violationLabel() {
        return "oversold";
    }

    @Override
    public List<Variant> variants(Backends backends, Settings settings) {
        String exact = STOCK + " orders, 0 left";
        return List.of(
                Variant.broken("check, then order, then decrement", () ->
                        place(backends, settings, exact, OrderBook::placeUnguarded, "")),
                Variant.fixed("version-checked UPDATE, 3 retries with backoff", () -> optimistic(backends, settings)),
                Variant.fixed("SELECT ... FOR UPDATE", () ->
                        place(backends, settings, exact, OrderBook::placeForUpdate, "")));
    }

    private static Outcome optimistic(Backends backends, Settings settings) throws Exception {
        AtomicLong conflicts = new AtomicLong();
        // The seed's policy: up to 3 retries (4 attempts) with exponential backoff.
        Retry retry = Retry.of(RetryPolicy.builder()
                .maxAttempts(4)
                .backoff(Backoff.exponential(Duration.ofMillis(10), 2.0, Duration.ofMillis(100)).withJitter(Jitter.FULL))
                .retryOn(ConcurrencyConflictException.class)
                .listener(new RetryListener() {
                    @Override
                    public void onAttemptFailed(int attempt, Throwable failure) {
                        conflicts.incrementAndGet();
                    }
                })
                .build());
        AtomicLong gaveUp = new AtomicLong();
        Outcome o = place(backends, settings, "<= " + STOCK + " orders, stock = " + STOCK + " - orders", book -> {
            try {
                return retry.call(book::placeOptimisticAttempt);
            } catch (RetryExhaustedException e) {
                gaveUp.incrementAndGet();
                return OrderBook.Result.GAVE_UP;
            }
        }, "");
        return new Outcome(o.expected(), o.actual(), o.violations(), o.rejected(),
                conflicts.get() + " version conflicts; " + gaveUp.get()
                        + " orders gave up after 4 attempts and were rolled back (the seed's 'fails gracefully')");
    }

    @FunctionalInterface
    interface Placement {
        OrderBook.Result place(OrderBook book) throws Exception;
    }

    private static Outcome place(Backends backends, Settings settings, String expected, Placement placement,
                                 String note) throws Exception {
        try (OrderBook book = new OrderBook(backends.dataSource(), settings, STOCK)) {
            List<OrderBook.Result> results = Crowd.run(ORDERS, i -> () -> placement.place(book));
            long confirmed = results.stream().filter(r -> r == OrderBook.Result.CONFIRMED).count();
            long placed = book.ordersPlaced();
            long left = book.available();
            long violations = Ledger.violations(STOCK, placed, left) + Math.abs(confirmed - placed);
            return new Outcome(expected, placed + " orders, " + left + " left",
                    violations, ORDERS - confirmed, note);
        }
    }
}
