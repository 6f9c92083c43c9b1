package dev.latchkey.examples.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.examples.Sql;
import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.IdempotencyInProgressException;
import dev.latchkey.idempotency.IdempotencyKeyReuseException;
import dev.latchkey.idempotency.IdempotentResult;
import dev.latchkey.idempotency.RequestFingerprint;
import dev.latchkey.idempotency.ResponseCodec;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A payment endpoint on the JDK's built-in HTTP server that honours the {@code Idempotency-Key}
 * header the way seed 004 describes:
 *
 * <ul>
 *   <li>{@code POST /payments} with body {@code account=alice&amount=25} charges once and answers
 *       {@code 201} with the payment;</li>
 *   <li>the same key and body again: the stored {@code 201} is replayed, nothing is charged, and
 *       the response carries {@code Idempotent-Replayed: true};</li>
 *   <li>the same key while the first request is still being processed: {@code 409 Conflict} with
 *       {@code Retry-After};</li>
 *   <li>the same key with a different body: {@code 422 Unprocessable Content};</li>
 *   <li>no key: {@code 400}.</li>
 * </ul>
 *
 * Started without an {@link Idempotency} it ignores the header: every retry charges again.
 */
public final class PaymentServer implements AutoCloseable {

    /** The request header that carries the client's idempotency key. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** The response header that says whether the response was replayed. */
    public static final String REPLAYED = "Idempotent-Replayed";

    private final HttpServer server;
    private final ExecutorService executor;
    private final DataSource ds;
    private final String charges = Sql.freshTable("charges");
    private final Optional<Idempotency> idempotency;
    private final Duration processingTime;
    private final AtomicInteger chargesStarted = new AtomicInteger();

    private PaymentServer(DataSource ds, Optional<Idempotency> idempotency, Duration processingTime)
            throws IOException, SQLException {
        this.ds = ds;
        this.idempotency = idempotency;
        this.processingTime = processingTime;
        Sql.update(ds, "CREATE TABLE " + charges
                + " (id VARCHAR(40) PRIMARY KEY, account VARCHAR(32) NOT NULL, amount BIGINT NOT NULL)");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newFixedThreadPool(16);
        server.setExecutor(executor);
        server.createContext("/payments", this::handle);
        server.start();
    }

    /**
     * Starts the endpoint on a free loopback port.
     *
     * @param idempotency    how duplicates are recognised; empty: not at all (the broken endpoint)
     * @param processingTime how long charging takes (the window in which a retry arrives)
     */
    public static PaymentServer start(DataSource ds, Optional<Idempotency> idempotency, Duration processingTime)
            throws IOException, SQLException {
        return new PaymentServer(ds, idempotency, processingTime);
    }

    /** {@code http://127.0.0.1:<port>/payments}. */
    public URI paymentsUri() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/payments");
    }

    /** How many charges were really made. */
    public long charges() throws SQLException {
        return Sql.queryLong(ds, "SELECT COUNT(*) FROM " + charges);
    }

    /** How many charges have begun (a charge in progress counts): lets a caller time a duplicate. */
    public int chargesStarted() {
        return chargesStarted.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            if (!ex.getRequestMethod().equals("POST")) {
                send(ex, 405, "only POST", false);
                return;
            }
            byte[] bodyBytes = ex.getRequestBody().readAllBytes();
            String body = new String(bodyBytes, StandardCharsets.UTF_8);
            if (idempotency.isEmpty()) {
                send(ex, 201, charge(body), false);
                return;
            }
            String key = ex.getRequestHeaders().getFirst(IDEMPOTENCY_KEY);
            if (key == null) {
                send(ex, 400, "the " + IDEMPOTENCY_KEY + " header is required", false);
                return;
            }
            try {
                IdempotentResult<String> r = idempotency.get().executeForResult(key,
                        RequestFingerprint.of("POST", "/payments", bodyBytes), ResponseCodec.utf8(), () -> charge(body));
                send(ex, 201, r.value(), r.replayed());
            } catch (IdempotencyInProgressException e) {
                ex.getResponseHeaders().set("Retry-After", "1");
                send(ex, IdempotencyInProgressException.HTTP_STATUS, "a request with this key is in progress", false);
            } catch (IdempotencyKeyReuseException e) {
                send(ex, IdempotencyKeyReuseException.HTTP_STATUS, "this key was used for a different request", false);
            } catch (IllegalArgumentException e) {
                send(ex, 400, e.getMessage(), false);
            }
        } catch (IllegalArgumentException e) {
            send(ex, 400, e.getMessage(), false);
        } catch (RuntimeException | SQLException e) {
            send(ex, 500, "payment failed: " + e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(ex, 503, "shutting down", false);
        } finally {
            ex.close();
        }
    }

    /** Charges the account: the side effect that must happen once per request. */
    private String charge(String body) throws SQLException, InterruptedException {
        String account = param(body, "account");
        long amount = Long.parseLong(param(body, "amount"));
        chargesStarted.incrementAndGet();
        Thread.sleep(processingTime.toMillis());   // talking to the card network
        String id = UUID.randomUUID().toString();
        Sql.update(ds, "INSERT INTO " + charges + " (id, account, amount) VALUES (?, ?, ?)", id, account, amount);
        return "{\"payment\":\"" + id + "\",\"account\":\"" + account + "\",\"amount\":" + amount + "}";
    }

    private static String param(String body, String name) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name) && pair.substring(eq + 1).matches("[A-Za-z0-9-]{1,32}")) {
                return pair.substring(eq + 1);
            }
        }
        throw new IllegalArgumentException("the body needs " + name + "=<letters or digits>: " + body);
    }

    private static void send(HttpExchange ex, int status, String body, boolean replayed) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", status == 201 ? "application/json" : "text/plain; charset=utf-8");
        ex.getResponseHeaders().set(REPLAYED, Boolean.toString(replayed));
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() throws SQLException {
        server.stop(0);
        executor.shutdownNow();
        Sql.drop(ds, charges);
    }
}
