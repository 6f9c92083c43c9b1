package dev.latchkey.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.latchkey.examples.Backends;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The payment endpoint over real HTTP (JDK HTTP server on a free loopback port, JDK HTTP client):
 * the status codes and bodies seed 004's idempotency flow promises.
 */
class PaymentServerTest {

    private static Backends backends;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        backends = Backends.embedded();
    }

    @AfterAll
    static void stop() {
        backends.close();
    }

    private static String freshKey() {
        return "test-" + UUID.randomUUID();
    }

    private PaymentServer server(Duration processing) throws Exception {
        return PaymentServer.start(backends.dataSource(), Optional.of(backends.idempotency()), processing);
    }

    @Test
    void duplicateWithSameKey_afterCompletion_replaysTheStoredResponse_andChargesOnce() throws Exception {
        try (PaymentServer server = server(Duration.ZERO)) {
            String key = freshKey();
            HttpResponse<String> first = DuplicateRequestsScenario.post(http, server, key, "account=alice&amount=25");
            HttpResponse<String> second = DuplicateRequestsScenario.post(http, server, key, "account=alice&amount=25");

            assertThat(first.statusCode()).isEqualTo(201);
            assertThat(first.headers().firstValue(PaymentServer.REPLAYED)).hasValue("false");
            assertThat(second.statusCode()).isEqualTo(201);
            assertThat(second.body()).as("the replay is the stored response, byte for byte").isEqualTo(first.body());
            assertThat(second.headers().firstValue(PaymentServer.REPLAYED)).hasValue("true");
            assertThat(server.charges()).isEqualTo(1);
        }
    }

    @Test
    void duplicateWhileFirstIsInProgress_gets409_andIsNotCharged() throws Exception {
        try (PaymentServer server = server(Duration.ofSeconds(2))) {
            String key = freshKey();
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return DuplicateRequestsScenario.post(http, server, key, "account=alice&amount=25");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> server.chargesStarted() == 1);

            HttpResponse<String> duplicate = DuplicateRequestsScenario.post(http, server, key, "account=alice&amount=25");

            assertThat(duplicate.statusCode()).isEqualTo(409);
            assertThat(duplicate.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(first.get().statusCode()).isEqualTo(201);
            assertThat(server.charges()).isEqualTo(1);
            assertThat(server.chargesStarted()).isEqualTo(1);
        }
    }

    @Test
    void sameKeyWithDifferentBody_gets422_afterCompletion() throws Exception {
        try (PaymentServer server = server(Duration.ZERO)) {
            String key = freshKey();
            assertThat(DuplicateRequestsScenario.post(http, server, key, "account=alice&amount=25").statusCode())
                    .isEqualTo(201);

            HttpResponse<String> reused = DuplicateRequestsScenario.post(http, server, key, "account=alice&amount=30");

            assertThat(reused.statusCode()).isEqualTo(422);
            assertThat(server.charges()).isEqualTo(1);
        }
    }

    @Test
    void sameKeyWithDifferentBody_gets422_whileInProgress() throws Exception {
        try (PaymentServer server = server(Duration.ofSeconds(2))) {
            String key = freshKey();
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return DuplicateRequestsScenario.post(http, server, key, "account=alice&amount=25");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> server.chargesStarted() == 1);

            HttpResponse<String> reused = DuplicateRequestsScenario.post(http, server, key, "account=alice&amount=30");

            assertThat(reused.statusCode()).isEqualTo(422);
            assertThat(first.get().statusCode()).isEqualTo(201);
            assertThat(server.charges()).isEqualTo(1);
        }
    }

    @Test
    void requestWithoutKey_gets400() throws Exception {
        try (PaymentServer server = server(Duration.ZERO)) {
            HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(server.paymentsUri())
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("account=alice&amount=25")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(server.charges()).isZero();
        }
    }

    @Test
    void endpointWithoutIdempotency_chargesEveryRetry() throws Exception {
        try (PaymentServer server = PaymentServer.start(backends.dataSource(), Optional.empty(), Duration.ZERO)) {
            String key = freshKey();
            for (int i = 0; i < 3; i++) {
                assertThat(DuplicateRequestsScenario.post(http, server, key, "account=alice&amount=25").statusCode())
                        .isEqualTo(201);
            }
            assertThat(server.charges()).as("the broken endpoint charges each retry").isEqualTo(3);
        }
    }
}
