package dev.latchkey.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.idempotency.spi.StoredOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link IdempotencyStore} keeps, checked through {@link Idempotency} and
 * through the SPI directly. A store's test is a small subclass that supplies the store; keys are
 * unique per test so shared servers need no cleanup.
 */
public abstract class IdempotencyStoreContract {

    /** A fingerprint and a different one. */
    protected static final byte[] FP = "POST /orders body-sha=1".getBytes(StandardCharsets.UTF_8);
    protected static final byte[] OTHER_FP = "POST /orders body-sha=2".getBytes(StandardCharsets.UTF_8);

    private static final Duration LONG = Duration.ofMinutes(5);

    protected IdempotencyStore store;
    private ExecutorService pool;

    /** Returns the store under test; called before every test. */
    protected abstract IdempotencyStore newStore();

    @BeforeEach
    void setUpStore() {
        store = newStore();
        pool = Executors.newFixedThreadPool(16);
    }

    @AfterEach
    void shutDownPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("test threads finished").isTrue();
    }

    protected static String newKey() {
        return "k-" + UUID.randomUUID();
    }

    private Idempotency idempotency() {
        return Idempotency.builder(store).inProgressTimeout(LONG).retention(LONG).build();
    }

    @Test
    void execute_firstRequest_runsActionAndReturnsItsResponse() {
        IdempotentResult<String> result = idempotency().executeForResult(newKey(), FP, ResponseCodec.utf8(), () -> "created");

        assertThat(result.value()).isEqualTo("created");
        assertThat(result.replayed()).as("a first request is not a replay").isFalse();
    }

    @Test
    void execute_duplicateAfterCompletion_replaysStoredResponseWithoutRunningAction() {
        Idempotency idem = idempotency();
        String key = newKey();
        AtomicInteger runs = new AtomicInteger();
        idem.execute(key, FP, ResponseCodec.utf8(), () -> "order-" + runs.incrementAndGet());

        IdempotentResult<String> second = idem.executeForResult(key, FP, ResponseCodec.utf8(),
                () -> "order-" + runs.incrementAndGet());

        assertThat(runs).as("the action ran once").hasValue(1);
        assertThat(second.value()).isEqualTo("order-1");
        assertThat(second.replayed()).isTrue();
    }

    @Test
    void execute_sixteenConcurrentRequestsWithOneKey_runActionExactlyOnce() throws Exception {
        assertSixteenConcurrentRequestsRunOnce(idempotency(), false);
    }

    @Test
    void execute_sixteenConcurrentRequestsWithWait_allGetTheSameResponse() throws Exception {
        Idempotency waiting = Idempotency.builder(store).inProgressTimeout(LONG).retention(LONG)
                .waitForCompletion(Duration.ofSeconds(30)).build();
        assertSixteenConcurrentRequestsRunOnce(waiting, true);
    }

    private void assertSixteenConcurrentRequestsRunOnce(Idempotency idem, boolean everyoneGetsResponse)
            throws Exception {
        String key = newKey();
        AtomicInteger executions = new AtomicInteger();
        int[] unprotected = {0};
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            calls.add(pool.submit(() -> {
                start.await();
                try {
                    return idem.execute(key, FP, ResponseCodec.utf8(), () -> {
                        int n = unprotected[0];
                        Thread.sleep(50); // keep the claim in progress while the others arrive
                        unprotected[0] = n + 1;
                        executions.incrementAndGet();
                        return "response-" + UUID.randomUUID();
                    });
                } catch (IdempotencyInProgressException conflict) {
                    return "409";
                }
            }));
        }
        start.countDown();
        List<String> answers = new ArrayList<>();
        for (Future<String> call : calls) {
            answers.add(call.get(60, TimeUnit.SECONDS));
        }

        assertThat(executions).as("the action ran exactly once for one key").hasValue(1);
        assertThat(unprotected[0]).as("no two executions overlapped").isEqualTo(1);
        List<String> responses = answers.stream().filter(a -> !a.equals("409")).distinct().toList();
        assertThat(responses).as("every request that got a response got the same one").hasSize(1);
        if (everyoneGetsResponse) {
            assertThat(answers).as("with a wait, nobody got 409").doesNotContain("409");
        }
    }

    @Test
    void execute_duplicateWhileInProgress_isRefusedWithInProgress() throws Exception {
        Idempotency idem = idempotency();
        String key = newKey();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Future<String> first = pool.submit(() -> idem.execute(key, FP, ResponseCodec.utf8(), () -> {
            running.countDown();
            finish.await();
            return "first";
        }));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> idem.execute(key, FP, ResponseCodec.utf8(), () -> "second"))
                .isInstanceOf(IdempotencyInProgressException.class)
                .hasMessageContaining(key);
        finish.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    }

    @Test
    void execute_otherFingerprintWhileInProgress_isRefusedAsKeyReuse() throws Exception {
        Idempotency idem = idempotency();
        String key = newKey();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Future<String> first = pool.submit(() -> idem.execute(key, FP, ResponseCodec.utf8(), () -> {
            running.countDown();
            finish.await();
            return "first";
        }));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> idem.execute(key, OTHER_FP, ResponseCodec.utf8(), () -> "second"))
                .isInstanceOf(IdempotencyKeyReuseException.class);
        finish.countDown();
        first.get(10, TimeUnit.SECONDS);
    }

    @Test
    void execute_otherFingerprintAfterCompletion_isRefusedAsKeyReuseWithoutRunning() {
        Idempotency idem = idempotency();
        String key = newKey();
        idem.execute(key, FP, ResponseCodec.utf8(), () -> "first");
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> idem.execute(key, OTHER_FP, ResponseCodec.utf8(), () -> "x" + runs.incrementAndGet()))
                .isInstanceOf(IdempotencyKeyReuseException.class);
        assertThat(runs).as("a reused key never runs the action").hasValue(0);
    }

    @Test
    void execute_afterClaimantCrashed_takesOverOnceInProgressTimeoutPasses() {
        String key = newKey();
        Duration shortTimeout = Duration.ofMillis(300);
        // A claimant that never completes: the process died mid-action.
        assertThat(store.claim(key, FP, "crashed-claimant", shortTimeout).status()).isEqualTo(ClaimResult.Status.CLAIMED);
        Idempotency idem = Idempotency.builder(store).inProgressTimeout(shortTimeout).retention(LONG).build();
        assertThatThrownBy(() -> idem.execute(key, FP, ResponseCodec.utf8(), () -> "too early"))
                .isInstanceOf(IdempotencyInProgressException.class);

        IdempotentResult<String> recovered = await().atMost(Duration.ofSeconds(10)).ignoreException(
                IdempotencyInProgressException.class).until(
                        () -> idem.executeForResult(key, FP, ResponseCodec.utf8(), () -> "recovered"), r -> true);

        assertThat(recovered.value()).isEqualTo("recovered");
        assertThat(recovered.replayed()).as("the takeover ran the action").isFalse();
    }

    @Test
    void complete_byZombieAfterTakeover_isRejectedAndKeepsTheNewerResult() {
        String key = newKey();
        Duration shortTimeout = Duration.ofMillis(200);
        assertThat(store.claim(key, FP, "zombie", shortTimeout).status()).isEqualTo(ClaimResult.Status.CLAIMED);
        ClaimResult takeover = await().atMost(Duration.ofSeconds(10))
                .until(() -> store.claim(key, FP, "successor", LONG), r -> r.status() == ClaimResult.Status.CLAIMED);
        assertThat(takeover.takeover()).as("replacing an expired claim is reported as a takeover").isTrue();

        assertThat(store.complete(key, "zombie", StoredOutcome.SUCCESS, bytes("zombie"), LONG))
                .as("a completion by the old claim token is rejected").isFalse();
        assertThat(store.release(key, "zombie")).as("a release by the old claim token is a no-op").isFalse();
        assertThat(store.complete(key, "successor", StoredOutcome.SUCCESS, bytes("successor"), LONG)).isTrue();
        assertThat(store.complete(key, "zombie", StoredOutcome.SUCCESS, bytes("zombie"), LONG)).isFalse();

        ClaimResult found = store.claim(key, FP, "late", LONG);
        assertThat(found.status()).isEqualTo(ClaimResult.Status.COMPLETED);
        assertThat(new String(found.payload(), StandardCharsets.UTF_8)).isEqualTo("successor");
    }

    @Test
    void execute_actionOutlivingItsClaim_doesNotOverwriteTheTakeoversResult() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Idempotency idem = Idempotency.builder(store).inProgressTimeout(Duration.ofMillis(200)).retention(LONG)
                .meterRegistry(registry).build();
        String key = newKey();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Future<IdempotentResult<String>> zombie = pool.submit(() -> idem.executeForResult(key, FP,
                ResponseCodec.utf8(), () -> {
                    running.countDown();
                    finish.await(); // paused past its in-progress timeout
                    return "zombie";
                }));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        IdempotentResult<String> successor = await().atMost(Duration.ofSeconds(10))
                .ignoreException(IdempotencyInProgressException.class)
                .until(() -> idem.executeForResult(key, FP, ResponseCodec.utf8(), () -> "successor"), r -> true);
        assertThat(successor.replayed()).isFalse();

        finish.countDown();
        assertThat(zombie.get(10, TimeUnit.SECONDS).value()).as("the zombie's caller still gets its own value")
                .isEqualTo("zombie");
        IdempotentResult<String> later = idem.executeForResult(key, FP, ResponseCodec.utf8(), () -> "third");
        assertThat(later.replayed()).isTrue();
        assertThat(later.value()).as("the takeover's result stands").isEqualTo("successor");
        assertThat(count(registry, "latchkey.idempotency.takeovers")).isEqualTo(1);
        assertThat(count(registry, "latchkey.idempotency.claims.lost")).isEqualTo(1);
    }

    @Test
    void claim_concurrentClaimsForOneKey_exactlyOneWins() throws Exception {
        String key = newKey();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ClaimResult>> claims = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String token = "token-" + i;
            claims.add(pool.submit(() -> {
                start.await();
                return store.claim(key, FP, token, LONG);
            }));
        }
        start.countDown();
        int won = 0;
        for (Future<ClaimResult> claim : claims) {
            ClaimResult r = claim.get(30, TimeUnit.SECONDS);
            if (r.status() == ClaimResult.Status.CLAIMED) {
                won++;
            } else {
                assertThat(r.status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);
                assertThat(r.fingerprint()).isEqualTo(FP);
            }
        }
        assertThat(won).as("exactly one of 16 concurrent claims wins").isEqualTo(1);
    }

    /**
     * Regression: with claims expiring as fast as they are made, claimants take over from each
     * other; every claim must still settle on an answer instead of retrying until it gives up.
     */
    @Test
    void claim_concurrentClaimsWithShortestTimeout_allSettleWithoutBackendErrors() throws Exception {
        for (int round = 0; round < 20; round++) {
            String key = newKey();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ClaimResult>> claims = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String token = "token-" + i;
                claims.add(pool.submit(() -> {
                    start.await();
                    return store.claim(key, FP, token, Duration.ofMillis(1));
                }));
            }
            start.countDown();
            for (Future<ClaimResult> claim : claims) {
                assertThat(claim.get(30, TimeUnit.SECONDS).status()).isNotEqualTo(ClaimResult.Status.COMPLETED);
            }
        }
    }

    @Test
    void execute_actionThrows_releasesClaimSoRetryRunsAgain() {
        Idempotency idem = idempotency();
        String key = newKey();
        assertThatThrownBy(() -> idem.execute(key, FP, ResponseCodec.utf8(), () -> {
            throw new IllegalStateException("payment gateway down");
        })).isInstanceOf(IllegalStateException.class).hasMessage("payment gateway down");

        IdempotentResult<String> retry = idem.executeForResult(key, FP, ResponseCodec.utf8(), () -> "paid");
        assertThat(retry.value()).isEqualTo("paid");
        assertThat(retry.replayed()).isFalse();
    }

    @Test
    void execute_finalFailure_isStoredAndReplayedAsFailure() {
        Idempotency idem = Idempotency.builder(store).inProgressTimeout(LONG).retention(LONG)
                .finalFailure(e -> e instanceof IllegalArgumentException).build();
        String key = newKey();
        assertThatThrownBy(() -> idem.execute(key, FP, ResponseCodec.utf8(), () -> {
            throw new IllegalArgumentException("card declined");
        })).isInstanceOf(IllegalArgumentException.class);
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> idem.execute(key, FP, ResponseCodec.utf8(), () -> "x" + runs.incrementAndGet()))
                .isInstanceOfSatisfying(IdempotencyStoredFailureException.class, e -> {
                    assertThat(e.failureType()).isEqualTo(IllegalArgumentException.class.getName());
                    assertThat(e.failureMessage()).isEqualTo("card declined");
                });
        assertThat(runs).hasValue(0);
    }

    @Test
    void execute_responseOverLimit_failsClearlyAndReleasesClaim() {
        String key = newKey();
        Idempotency small = Idempotency.builder(store).inProgressTimeout(LONG).retention(LONG).maxResponseBytes(10).build();
        assertThatThrownBy(() -> small.execute(key, FP, ResponseCodec.utf8(), () -> "eleven byte"))
                .isInstanceOfSatisfying(IdempotencyResponseTooLargeException.class, e -> {
                    assertThat(e.size()).isEqualTo(11);
                    assertThat(e.limit()).isEqualTo(10);
                });

        IdempotentResult<String> retry = idempotency().executeForResult(key, FP, ResponseCodec.utf8(), () -> "eleven byte");
        assertThat(retry.replayed()).as("nothing was half-stored: the retry runs").isFalse();
    }

    @Test
    void execute_binaryResponse_isReplayedByteForByte() {
        byte[] all = new byte[256 * 4];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        byte[] binaryFingerprint = {0, -1, 13, 10, 127, -128};
        Idempotency idem = idempotency();
        String key = newKey();
        idem.execute(key, binaryFingerprint, ResponseCodec.bytes(), () -> all);

        IdempotentResult<byte[]> replay = idem.executeForResult(key, binaryFingerprint.clone(), ResponseCodec.bytes(),
                () -> new byte[0]);
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.value()).isEqualTo(all);
    }

    @Test
    void execute_afterRetentionPasses_runsAgain() {
        Idempotency shortLived = Idempotency.builder(store).inProgressTimeout(LONG).retention(Duration.ofMillis(200))
                .build();
        String key = newKey();
        shortLived.execute(key, FP, ResponseCodec.utf8(), () -> "first");

        await().atMost(Duration.ofSeconds(10)).ignoreException(IdempotencyKeyReuseException.class).until(
                () -> !shortLived.executeForResult(key, OTHER_FP, ResponseCodec.utf8(), () -> "second").replayed());
    }

    @Test
    void release_thenClaim_succeedsAtOnce() {
        String key = newKey();
        assertThat(store.claim(key, FP, "a", LONG).status()).isEqualTo(ClaimResult.Status.CLAIMED);
        assertThat(store.release(key, "b")).as("another token cannot release").isFalse();
        assertThat(store.release(key, "a")).isTrue();

        ClaimResult again = store.claim(key, OTHER_FP, "c", LONG);
        assertThat(again.status()).isEqualTo(ClaimResult.Status.CLAIMED);
        assertThat(again.takeover()).as("a released key is free, not taken over").isFalse();
    }

    @Test
    void metrics_countClaimsReplaysConflictsAndMismatches() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Idempotency idem = Idempotency.builder(store).inProgressTimeout(LONG).retention(LONG).meterRegistry(registry)
                .build();
        String done = newKey();
        idem.execute(done, FP, ResponseCodec.utf8(), () -> "r");
        idem.execute(done, FP, ResponseCodec.utf8(), () -> "r");
        assertThatThrownBy(() -> idem.execute(done, OTHER_FP, ResponseCodec.utf8(), () -> "r"))
                .isInstanceOf(IdempotencyKeyReuseException.class);
        String busy = newKey();
        assertThat(store.claim(busy, FP, "other", LONG).status()).isEqualTo(ClaimResult.Status.CLAIMED);
        assertThatThrownBy(() -> idem.execute(busy, FP, ResponseCodec.utf8(), () -> "r"))
                .isInstanceOf(IdempotencyInProgressException.class);

        assertThat(count(registry, "latchkey.idempotency.claims")).isEqualTo(1);
        assertThat(count(registry, "latchkey.idempotency.replays")).isEqualTo(1);
        assertThat(count(registry, "latchkey.idempotency.fingerprint.mismatches")).isEqualTo(1);
        assertThat(count(registry, "latchkey.idempotency.conflicts")).isEqualTo(1);
        assertThat(count(registry, "latchkey.idempotency.claims.lost"))
                .as("an ordinary completion keeps its claim").isEqualTo(0);
    }

    private static double count(SimpleMeterRegistry registry, String name) {
        return registry.get(name).counter().count();
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
