package dev.latchkey.idempotency;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's HTTP snippet, served by the JDK's HTTP server and called over real HTTP: the
 * {@code Idempotency-Key} header maps to a replay, 409 or 422.
 */
class IdempotentHttpHandlerTest {

    /** The handler of the README section, with the order creation passed in. */
    static final class OrderHandler implements HttpHandler {
        private final Idempotency idempotency;
        private final java.util.function.Function<byte[], String> createOrder;

        OrderHandler(Idempotency idempotency, java.util.function.Function<byte[], String> createOrder) {
            this.idempotency = idempotency;
            this.createOrder = createOrder;
        }

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status;
            String response;
            if (key == null) {
                status = 400;
                response = "missing Idempotency-Key header";
            } else {
                try {
                    IdempotentResult<String> result = idempotency.executeForResult(key,
                            RequestFingerprint.of(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body),
                            ResponseCodec.utf8(), () -> createOrder.apply(body));
                    exchange.getResponseHeaders().add("Idempotent-Replayed", String.valueOf(result.replayed()));
                    status = 201;
                    response = result.value();
                } catch (IdempotencyInProgressException e) {
                    status = IdempotencyInProgressException.HTTP_STATUS;          // 409: retry later
                    response = "a request with this Idempotency-Key is in progress";
                } catch (IdempotencyKeyReuseException e) {
                    status = IdempotencyKeyReuseException.HTTP_STATUS;            // 422: client bug
                    response = "Idempotency-Key was used for a different request";
                } catch (IllegalArgumentException e) {
                    status = 400;                                                 // malformed key
                    response = e.getMessage();
                }
            }
            byte[] out = response.getBytes(UTF_8);
            exchange.sendResponseHeaders(status, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private final AtomicInteger orders = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final CountDownLatch entered = new CountDownLatch(1);
    private HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        Idempotency idempotency = Idempotency.builder(InMemoryIdempotencyStore.create()).build();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/orders", new OrderHandler(idempotency, body -> {
            entered.countDown();
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "order-" + orders.incrementAndGet();
        }));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private HttpResponse<String> post(String key, String body) throws Exception {
        return send(key, body).get(20, TimeUnit.SECONDS);
    }

    private CompletableFuture<HttpResponse<String>> send(String key, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/orders"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            r.header("Idempotency-Key", key);
        }
        return client.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void post_sameKeyTwice_createsOneOrderAndReplaysIt() throws Exception {
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = post(key, "{\"sku\":1}");
        HttpResponse<String> second = post(key, "{\"sku\":1}");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).hasValue("false");
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(orders).as("one order for one key").hasValue(1);
    }

    @Test
    void post_sameKeyOtherBody_gets422() throws Exception {
        String key = UUID.randomUUID().toString();
        post(key, "{\"sku\":1}");
        assertThat(post(key, "{\"sku\":2}").statusCode()).isEqualTo(422);
        assertThat(orders).hasValue(1);
    }

    @Test
    void post_sameKeyWhileFirstInProgress_gets409() throws Exception {
        gate = new CountDownLatch(1);
        String key = UUID.randomUUID().toString();
        CompletableFuture<HttpResponse<String>> first = send(key, "{\"sku\":1}");
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(post(key, "{\"sku\":1}").statusCode()).isEqualTo(409);
        gate.countDown();
        assertThat(first.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
    }

    @Test
    void post_withoutOrWithMalformedKey_gets400() throws Exception {
        assertThat(post(null, "{}").statusCode()).isEqualTo(400);
        assertThat(post("k".repeat(256), "{}").statusCode()).isEqualTo(400);
        assertThat(orders).hasValue(0);
    }
}
