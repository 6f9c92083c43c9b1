package dev.latchkey.examples.http;

import dev.latchkey.examples.Backends;
import dev.latchkey.examples.Crowd;
import dev.latchkey.examples.Outcome;
import dev.latchkey.examples.Scenario;
import dev.latchkey.examples.Settings;
import dev.latchkey.examples.Variant;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seed 004, duplicate requests: an impatient client sends one payment 5 times at once with the
 * same {@code Idempotency-Key}, then once more after the first finished, then reuses the key for a
 * different amount. Over real HTTP, against the JDK's HTTP server.
 */
public final class DuplicateRequestsScenario implements Scenario {

    static final int COPIES = 5;
    static final Duration PROCESSING = Duration.ofMillis(200);

    private final AtomicInteger runs = new AtomicInteger();

    @Override
    public String name() {
        return "duplicate-requests";
    }

    @Override
    public String title() {
        return "seed 004: one payment POSTed " + COPIES + " times at once with one Idempotency-Key, over HTTP";
    }

    @Override
    public String violationLabel() {
        return "double-charged";
    }

    @Override
    public List<Variant> variants(Backends backends, Settings settings) {
        return List.of(
                Variant.broken("endpoint ignores Idempotency-Key", () -> exchange(backends, false)),
                Variant.fixed("Idempotency middleware: replay, 409, 422", () -> exchange(backends, true)));
    }

    /** The status codes and bodies one client saw. */
    record Exchange(Map<Integer, Integer> concurrentStatuses, int retryStatus, boolean retryReplayedSameBody,
                    int reusedKeyStatus, long charges) {
    }

    private Outcome exchange(Backends backends, boolean guarded) throws Exception {
        Exchange e = run(backends, guarded, backends.scoped("pay-" + runs.incrementAndGet()));
        long rejected = e.concurrentStatuses().getOrDefault(409, 0) + (e.reusedKeyStatus() == 422 ? 1 : 0);
        String actual = e.charges() + " charge" + (e.charges() == 1 ? "" : "s") + "; concurrent " + e.concurrentStatuses()
                + ", retry " + e.retryStatus() + (e.retryReplayedSameBody() ? " replayed" : "")
                + ", reused key " + e.reusedKeyStatus();
        // A guarded endpoint must also answer the right codes; an unguarded one charges for each request.
        long violations = Math.max(0, e.charges() - 1)
                + (guarded && (!e.retryReplayedSameBody() || e.reusedKeyStatus() != 422) ? 1 : 0);
        return new Outcome("1 charge; duplicates 409 or replayed 201; reused key 422", actual, violations, rejected);
    }

    /** Runs the client's whole story against a fresh endpoint and reports what it saw. */
    static Exchange run(Backends backends, boolean guarded, String key) throws Exception {
        try (PaymentServer server = PaymentServer.start(backends.dataSource(),
                guarded ? Optional.of(backends.idempotency()) : Optional.empty(), PROCESSING)) {
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            String body = "account=alice&amount=25";
            List<HttpResponse<String>> concurrent = Crowd.run(COPIES, i -> () -> post(http, server, key, body));
            Map<Integer, Integer> statuses = new TreeMap<>();
            concurrent.forEach(r -> statuses.merge(r.statusCode(), 1, Integer::sum));
            String firstBody = concurrent.stream().filter(r -> r.statusCode() == 201)
                    .map(HttpResponse::body).findFirst().orElse("");
            HttpResponse<String> retry = post(http, server, key, body);
            boolean replayedSame = retry.statusCode() == 201 && retry.body().equals(firstBody)
                    && retry.headers().firstValue(PaymentServer.REPLAYED).orElse("").equals("true");
            HttpResponse<String> reused = post(http, server, key, "account=alice&amount=30");
            return new Exchange(statuses, retry.statusCode(), replayedSame, reused.statusCode(), server.charges());
        }
    }

    static HttpResponse<String> post(HttpClient http, PaymentServer server, String key, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(server.paymentsUri())
                .timeout(Duration.ofSeconds(30))
                .header(PaymentServer.IDEMPOTENCY_KEY, key)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }
}
