package dev.latchkey.examples.booking;

import dev.latchkey.examples.Backends;
import dev.latchkey.examples.Crowd;
import dev.latchkey.examples.Outcome;
import dev.latchkey.examples.Scenario;
import dev.latchkey.examples.Settings;
import dev.latchkey.examples.Variant;
import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.IdempotencyInProgressException;
import dev.latchkey.idempotency.IdempotentResult;
import dev.latchkey.idempotency.RequestFingerprint;
import dev.latchkey.idempotency.ResponseCodec;
import dev.latchkey.lock.DistributedLock;
import dev.latchkey.lock.LockLease;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seed 004, double booking: 6 users want the same slot at the same moment, and each user's client
 * sends its request twice (a retry after a timeout). Unguarded, the slot is booked many times and
 * retried requests book again. With a lock on the slot and an idempotency key per request: one
 * booking, and every duplicate is replayed or told 409.
 */
public final class BookingScenario implements Scenario {

    static final int USERS = 6;
    static final int COPIES = 2;
    static final String SLOT = "room-7@2026-12-01T10:00";

    private final AtomicInteger runs = new AtomicInteger();

    @Override
    public String name() {
        return "booking";
    }

    @Override
    public String title() {
        return "seed 004: " + USERS + " users book one slot, each request sent " + COPIES + " times";
    }

    @Override
    public String violationLabel() {
        return "double-booked";
    }

    @Override
    public List<Variant> variants(Backends backends, Settings settings) {
        return List.of(
                Variant.broken("check slot, insert booking", () -> unguarded(backends, settings)),
                Variant.fixed("lock on the slot + idempotency key", () -> guarded(backends, settings)));
    }

    private Outcome unguarded(Backends backends, Settings settings) throws Exception {
        String run = "booking-" + runs.incrementAndGet();
        try (Bookings bookings = new Bookings(backends.dataSource(), settings)) {
            List<String> answers = Crowd.run(USERS * COPIES, i -> () -> {
                String user = "user-" + (i % USERS);
                return bookings.book(SLOT, user, backends.scoped(run + ":" + user));
            });
            return outcome(bookings, answers, 0, 0);
        }
    }

    private Outcome guarded(Backends backends, Settings settings) throws Exception {
        String run = "booking-" + runs.incrementAndGet();
        Idempotency idempotency = backends.idempotency();
        DistributedLock slotLock = backends.locks().lock(backends.scoped(run + ":slot:" + SLOT));
        AtomicInteger replayed = new AtomicInteger();
        AtomicInteger inProgress = new AtomicInteger();
        try (Bookings bookings = new Bookings(backends.dataSource(), settings)) {
            List<String> answers = Crowd.run(USERS * COPIES, i -> () -> {
                String user = "user-" + (i % USERS);
                String key = backends.scoped(run + ":" + user);   // the client's Idempotency-Key
                try {
                    byte[] fingerprint = RequestFingerprint.of("POST", "/slots/" + SLOT + "/bookings",
                            user.getBytes(StandardCharsets.UTF_8));
                    IdempotentResult<String> r = idempotency.executeForResult(key, fingerprint, ResponseCodec.utf8(), () -> {
                                try (LockLease lease = slotLock.acquire(Duration.ofSeconds(30))) {
                                    lease.ensureHeld();
                                    return bookings.book(SLOT, user, key);
                                }
                            });
                    if (r.replayed()) {
                        replayed.incrementAndGet();
                    }
                    return r.value();
                } catch (IdempotencyInProgressException e) {
                    inProgress.incrementAndGet();
                    return "409";
                }
            });
            return outcome(bookings, answers, replayed.get(), inProgress.get());
        }
    }

    private static Outcome outcome(Bookings bookings, List<String> answers, int replayed, int inProgress)
            throws Exception {
        long rows = bookings.bookings(SLOT);
        long duplicates = bookings.duplicateExecutions();
        long booked = answers.stream().filter(a -> a.startsWith("BOOKED")).count();
        long taken = answers.stream().filter(a -> a.equals("TAKEN")).count();
        String actual = rows + " booking" + (rows == 1 ? "" : "s") + " (" + duplicates + " by retried requests); answers: "
                + booked + " booked, " + taken + " taken, " + inProgress + " x 409"
                + (replayed > 0 ? ", " + replayed + " replayed" : "");
        return new Outcome("1 booking, no request executed twice", actual,
                Math.max(0, rows - 1), taken + inProgress);
    }
}
