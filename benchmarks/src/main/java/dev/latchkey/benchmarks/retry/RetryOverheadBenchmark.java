package dev.latchkey.benchmarks.retry;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import dev.latchkey.retry.Backoff;
import dev.latchkey.retry.ConcurrencyConflictException;
import dev.latchkey.retry.Retry;
import dev.latchkey.retry.RetryBudget;
import dev.latchkey.retry.RetryPolicy;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a retry costs per call. {@code *FirstSuccess}: the first attempt succeeds, compared with calling the same
 * lambda directly; Latchkey's goal is no allocation beyond the caller's lambda (read B/op with {@code -prof gc}).
 * {@code *ConflictsTwice}: the attempt fails twice with a {@link ConcurrencyConflictException} and succeeds on
 * the third, with zero backoff, which must not sleep at all. The conflict is one preallocated exception so the
 * figures show the retry machinery, not stack-trace capture; {@code latchkeyConflictsTwiceNewException} shows
 * the realistic cost with a fresh exception per failure.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar RetryOverheadBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RetryOverheadBenchmark {

    /** Returned by every successful attempt, so the caller's lambda itself allocates nothing (no boxing). */
    private static final Integer RESULT = 42;
    private static final ConcurrencyConflictException CONFLICT = new ConcurrencyConflictException("version changed");

    private int counter;
    private Callable<Integer> succeeds;
    private Callable<Integer> conflictsTwice;
    private Callable<Integer> conflictsTwiceNew;
    private CheckedSupplier<Integer> succeedsSupplier;
    private CheckedSupplier<Integer> conflictsTwiceSupplier;

    private Retry latchkey;
    private Retry latchkeyGuarded;
    private io.github.resilience4j.retry.Retry resilience4j;
    private FailsafeExecutor<Object> failsafe;

    @Setup
    public void setup() {
        succeeds = () -> {
            counter++;
            return RESULT;
        };
        conflictsTwice = () -> {
            if (++counter % 3 != 0) {
                throw CONFLICT;
            }
            return RESULT;
        };
        conflictsTwiceNew = () -> {
            if (++counter % 3 != 0) {
                throw new ConcurrencyConflictException("version changed");
            }
            return RESULT;
        };
        succeedsSupplier = succeeds::call;
        conflictsTwiceSupplier = conflictsTwice::call;
        latchkey = Retry.of(RetryPolicy.builder().maxAttempts(3).backoff(Backoff.none())
                .retryOn(ConcurrencyConflictException.class).build());
        latchkeyGuarded = Retry.of(RetryPolicy.builder().maxAttempts(3).backoff(Backoff.none())
                .retryOn(ConcurrencyConflictException.class).maxDuration(Duration.ofSeconds(10))
                .budget(RetryBudget.create(1_000_000, 1)).build());
        resilience4j = io.github.resilience4j.retry.Retry.of("bench", RetryConfig.custom().maxAttempts(3)
                .waitDuration(Duration.ZERO).retryExceptions(ConcurrencyConflictException.class).build());
        failsafe = Failsafe.with(dev.failsafe.RetryPolicy.builder().handle(ConcurrencyConflictException.class)
                .withMaxAttempts(3).build());
    }

    @Benchmark
    public Integer plainCall() throws Exception {
        return succeeds.call();
    }

    /** The clock read a {@code maxDuration} adds to every call (kvm-clock makes it slow on virtual machines). */
    @Benchmark
    public long systemNanoTime() {
        return System.nanoTime();
    }

    @Benchmark
    public Integer plainLoopConflictsTwice() throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return conflictsTwice.call();
            } catch (ConcurrencyConflictException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    @Benchmark
    public Integer latchkeyFirstSuccess() {
        return latchkey.call(succeeds);
    }

    @Benchmark
    public Integer latchkeyFirstSuccessWithDeadlineAndBudget() {
        return latchkeyGuarded.call(succeeds);
    }

    @Benchmark
    public Integer latchkeyConflictsTwice() {
        return latchkey.call(conflictsTwice);
    }

    @Benchmark
    public Integer latchkeyConflictsTwiceNewException() {
        return latchkey.call(conflictsTwiceNew);
    }

    @Benchmark
    public Integer resilience4jFirstSuccess() throws Exception {
        return resilience4j.executeCallable(succeeds);
    }

    @Benchmark
    public Integer resilience4jConflictsTwice() throws Exception {
        return resilience4j.executeCallable(conflictsTwice);
    }

    @Benchmark
    public Integer failsafeFirstSuccess() {
        return failsafe.get(succeedsSupplier);
    }

    @Benchmark
    public Integer failsafeConflictsTwice() {
        return failsafe.get(conflictsTwiceSupplier);
    }
}
