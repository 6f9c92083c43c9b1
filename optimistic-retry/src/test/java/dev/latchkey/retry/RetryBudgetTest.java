package dev.latchkey.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shared token bucket: spends one token per retry, earns back per success, exact under concurrency. */
class RetryBudgetTest {

    @Test
    void tryAcquireRetry_spendsTheBurstThenRefuses_andSuccessesEarnTokensBack() {
        RetryBudget budget = RetryBudget.create(5, 0.5);
        for (int i = 0; i < 5; i++) {
            assertThat(budget.tryAcquireRetry()).as("token %d of 5", i + 1).isTrue();
        }
        assertThat(budget.tryAcquireRetry()).as("empty bucket").isFalse();
        budget.recordSuccess();
        assertThat(budget.tryAcquireRetry()).as("half a token is not enough").isFalse();
        budget.recordSuccess();
        assertThat(budget.tryAcquireRetry()).as("two successes at 0.5 earn one retry").isTrue();
    }

    @Test
    void recordSuccess_neverFillsBeyondCapacity() {
        RetryBudget budget = RetryBudget.create(3, 1);
        for (int i = 0; i < 100; i++) {
            budget.recordSuccess();
        }
        assertThat(budget.availableTokens()).isEqualTo(3.0);
    }

    @Test
    void budget_stopsARetryStorm_andRecoversAfterSuccesses() {
        RetryBudget budget = RetryBudget.create(10, 0.1);
        VirtualClock clock = new VirtualClock();
        RetryPolicy policy = RetryPolicy.builder().clock(clock).maxAttempts(5).backoff(Backoff.none())
                .budget(budget).build();
        Retry retry = Retry.of(policy);
        AtomicInteger attempts = new AtomicInteger();
        int byBudget = 0;
        for (int call = 0; call < 100; call++) {
            RetryExhaustedException e = catchThrowableOfType(RetryExhaustedException.class, () -> retry.run(() -> {
                attempts.incrementAndGet();
                throw new ConcurrencyConflictException("storm");
            }));
            if (e.reason() == RetryExhaustedException.Reason.BUDGET) {
                byBudget++;
            }
        }
        assertThat(attempts).as("100 first attempts plus the 10 retries the budget allows, not 500")
                .hasValue(110);
        assertThat(byBudget).isEqualTo(98);

        for (int i = 0; i < 100; i++) {
            retry.run(() -> { });
        }
        assertThat(budget.availableTokens()).isEqualTo(10.0);
        AtomicInteger calls = new AtomicInteger();
        retry.run(() -> {
            if (calls.incrementAndGet() < 5) {
                throw new ConcurrencyConflictException("recovered");
            }
        });
        assertThat(calls).as("after successes refilled the bucket, retries run again").hasValue(5);
    }

    @Test
    void budget_isSharedAcrossPolicies() {
        RetryBudget budget = RetryBudget.create(2, 1);
        VirtualClock clock = new VirtualClock();
        Retry a = Retry.of(RetryPolicy.builder().name("a").clock(clock).backoff(Backoff.none()).budget(budget).build());
        Retry b = Retry.of(RetryPolicy.builder().name("b").clock(clock).backoff(Backoff.none()).budget(budget)
                .maxAttempts(10).build());
        catchThrowableOfType(RetryExhaustedException.class, () -> a.run(() -> {
            throw new ConcurrencyConflictException("a");
        }));
        RetryExhaustedException e = catchThrowableOfType(RetryExhaustedException.class, () -> b.run(() -> {
            throw new ConcurrencyConflictException("b");
        }));
        assertThat(e.reason()).isEqualTo(RetryExhaustedException.Reason.BUDGET);
        assertThat(e.attempts()).as("a spent both tokens").isEqualTo(1);
    }

    @Test
    void concurrentSpending_grantsExactlyTheCapacity() throws Exception {
        RetryBudget budget = RetryBudget.create(20_000, 0.001);
        int threads = 4;
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 10_000; i++) {
                    if (budget.tryAcquireRetry()) {
                        granted.incrementAndGet();
                    }
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(granted).as("40,000 requests against 20,000 tokens").hasValue(20_000);
        assertThat(budget.availableTokens()).isZero();
    }

    @Test
    void concurrentSpendAndRefill_keepsExactAccounting() throws Exception {
        RetryBudget budget = RetryBudget.create(1_000_000, 1);
        for (int i = 0; i < 1_000_000; i++) {
            budget.tryAcquireRetry();
        }
        Thread spender = new Thread(() -> {
            for (int i = 0; i < 50_000; i++) {
                while (!budget.tryAcquireRetry()) {
                    Thread.onSpinWait();
                }
            }
        });
        Thread earner = new Thread(() -> {
            for (int i = 0; i < 80_000; i++) {
                budget.recordSuccess();
            }
        });
        spender.start();
        earner.start();
        spender.join();
        earner.join();
        assertThat(budget.availableTokens()).as("80,000 earned - 50,000 spent").isEqualTo(30_000.0);
    }
}
