package dev.latchkey.idempotency;

import static dev.latchkey.testkit.vthreads.VirtualThreads.currentIsVirtual;
import static dev.latchkey.testkit.vthreads.VirtualThreads.pinnedParksInLibrary;
import static dev.latchkey.testkit.vthreads.VirtualThreads.runAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testkit.redis.RedisServers;
import io.lettuce.core.RedisClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Idempotency on the Redis (Lettuce) store used from virtual threads: a thousand duplicates of one
 * request run its action once and all get its response, and a thousand distinct requests each run
 * once, without a virtual thread pinning its carrier in library code. The build's {@code jdk25}
 * execution gives virtual threads two carriers and no compensating ones
 * ({@code -Djdk.virtualThreadScheduler.parallelism=2 -Djdk.virtualThreadScheduler.maxPoolSize=2}).
 *
 * <p>Compiled to Java 17 bytecode, so the JDK 21 API is reached reflectively, through
 * {@link dev.latchkey.testkit.vthreads.VirtualThreads}.
 */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need JDK 21 or later")
class IdempotencyVirtualThreadsTest {

    /** A liveness bound for one test, not a speed claim. */
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final byte[] FP = "POST /orders body-sha=1".getBytes(StandardCharsets.UTF_8);

    private static RedisClient client;
    private RedisIdempotencyStore store;
    private Idempotency idempotency;

    @BeforeAll
    static void connect() {
        client = RedisClient.create(RedisServers.sharedUri());
    }

    @AfterAll
    static void disconnect() {
        client.shutdown();
    }

    @BeforeEach
    void newStore() {
        store = RedisIdempotencyStore.builder(client).keyPrefix("test:" + UUID.randomUUID() + ":").build();
        idempotency = Idempotency.builder(store)
                .inProgressTimeout(Duration.ofMinutes(5))
                .retention(Duration.ofMinutes(5))
                .waitForCompletion(BOUND)
                .build();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void execute_thousandDuplicatesOnVirtualThreads_runActionOnceAndAllGetItsResponse() throws Exception {
        String key = "k-" + UUID.randomUUID();
        AtomicInteger runs = new AtomicInteger();
        int threads = 1_000;

        List<IdempotentResult<String>> results = runAll(threads, BOUND, i -> () ->
                idempotency.executeForResult(key, FP, ResponseCodec.utf8(), () -> {
                    Thread.sleep(50); // the duplicates arrive while the first request runs
                    return "order-" + runs.incrementAndGet();
                }));

        assertThat(runs.get()).as("the action ran once for %d duplicates", threads).isEqualTo(1);
        assertThat(results).extracting(IdempotentResult::value).as("every duplicate got the first response")
                .containsOnly("order-1");
        assertThat(results).filteredOn(r -> !r.replayed()).as("requests that were not replays").hasSize(1);
    }

    @Test
    void execute_thousandDistinctRequestsOnVirtualThreads_eachRunsOnceWithoutPinningInLibraryCode()
            throws Exception {
        String prefix = "k-" + UUID.randomUUID() + "-";
        AtomicInteger runs = new AtomicInteger();
        int threads = 1_000;
        List<List<IdempotentResult<String>>> results = new ArrayList<>();

        List<String> pinned = pinnedParksInLibrary(() -> results.add(runAll(threads, BOUND, i -> () ->
                idempotency.executeForResult(prefix + i, FP, ResponseCodec.utf8(), () -> {
                    runs.incrementAndGet();
                    return "response-" + i + (currentIsVirtual() ? "" : " on a platform thread");
                }))));

        assertThat(runs.get()).as("actions run").isEqualTo(threads);
        for (int i = 0; i < threads; i++) {
            IdempotentResult<String> r = results.get(0).get(i);
            assertThat(r.value()).as("response of request %d", i).isEqualTo("response-" + i);
            assertThat(r.replayed()).as("request %d is a first request", i).isFalse();
        }
        assertThat(pinned).as("virtual threads blocked while pinned to their carrier in library code").isEmpty();
    }
}
