package dev.latchkey.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testkit.redis.RedisServers;
import io.lettuce.core.RedisClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
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
 * <p>Compiled to Java 17 bytecode, so the JDK 21 API is reached reflectively.
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

        List<IdempotentResult<String>> results = runAll(threads, i -> () ->
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

        List<String> pinned = pinnedParksInLibrary(() -> results.add(runAll(threads, i -> () ->
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

    // ---- virtual threads through reflection (Java 17 bytecode) ------------------------------------

    private static ExecutorService newPerTaskExecutor() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("no virtual threads on " + Runtime.version() + ", yet the test is enabled", e);
        }
    }

    private static boolean currentIsVirtual() throws ReflectiveOperationException {
        return (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
    }

    /** Runs {@code count} tasks on virtual threads; one still running after {@link #BOUND} fails the test. */
    private static <T> List<T> runAll(int count, IntFunction<Callable<T>> tasks) throws Exception {
        ExecutorService executor = newPerTaskExecutor();
        List<Future<T>> futures = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                futures.add(executor.submit(tasks.apply(i)));
            }
            long deadline = System.nanoTime() + BOUND.toNanos();
            List<T> results = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                try {
                    results.add(futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (TimeoutException e) {
                    throw new AssertionError("virtual thread " + i + " of " + count + " did not finish within " + BOUND
                            + ": parked waiters starved the carriers or a wake-up was lost", e);
                }
            }
            return results;
        } finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).as("virtual threads finished").isTrue();
        }
    }

    /**
     * Runs {@code body} under a JFR recording of {@code jdk.VirtualThreadPinned} (no threshold) and
     * returns the topmost library frame of each pinned park that passes through library code (not the
     * test kit, not a test class). On JDK 21 to 23 that catches a {@code synchronized} block around
     * blocking I/O or a wait; from JDK 24 monitors no longer pin, and what remains is a park under a
     * native frame or inside a class initializer.
     */
    private static List<String> pinnedParksInLibrary(Callable<?> body) throws Exception {
        Path file = Files.createTempFile("latchkey-pinned", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            body.call();
            recording.stop();
            recording.dump(file);
            List<String> pinned = new ArrayList<>();
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                if (event.getStackTrace() == null) {
                    continue;
                }
                for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                    String type = frame.getMethod().getType().getName();
                    if (type.startsWith("dev.latchkey.") && !type.startsWith("dev.latchkey.testkit.")
                            && !type.contains("Test")) {
                        pinned.add(type + "." + frame.getMethod().getName() + " line " + frame.getLineNumber());
                        break;
                    }
                }
            }
            return pinned;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
