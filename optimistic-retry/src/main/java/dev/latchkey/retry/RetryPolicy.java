package dev.latchkey.retry;

import dev.latchkey.retry.internal.MicrometerRetryMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * What to retry, how often, how long to wait in between and when to give up. Immutable and thread-safe; build
 * one with {@link #builder()} and share it. Run code under it with {@link Retry#of(RetryPolicy)}.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *         .maxAttempts(3)
 *         .backoff(Backoff.exponential(Duration.ofMillis(10), 2.0, Duration.ofMillis(200)).withJitter(Jitter.FULL))
 *         .retryOn(ConcurrencyConflictException.class)
 *         .build();
 * }</pre>
 *
 * <p>A failure is retried when it matches {@code retryOn} or {@code retryIf} and does not match
 * {@code abortOn}; with neither {@code retryOn} nor {@code retryIf} set, only
 * {@link ConcurrencyConflictException} is retried. An {@link InterruptedException} is never retried.
 *
 * @since 0.1.0
 */
public final class RetryPolicy {

    private static final Backoff DEFAULT_BACKOFF =
            Backoff.exponential(Duration.ofMillis(10), 2.0, Duration.ofSeconds(1)).withJitter(Jitter.FULL);

    private final String name;
    private final int maxAttempts;
    private final Duration maxDuration;
    private final Backoff backoff;
    private final Class<?>[] retryOn;
    private final Predicate<? super Throwable> retryIf;
    private final Class<?>[] abortOn;
    private final List<RetryListener> listeners;
    private final RetryBudget budget;
    /** A Micrometer {@code MeterRegistry}, typed Object so that Micrometer stays optional; null for none. */
    final Object meterRegistry;
    private final RetryClock clock;
    final RandomGenerator random;

    private RetryPolicy(Builder b) {
        this.name = b.name;
        this.maxAttempts = b.maxAttempts;
        this.maxDuration = b.maxDuration;
        this.backoff = b.backoff;
        List<Class<?>> on = new ArrayList<>(b.retryOn);
        if (on.isEmpty() && b.retryIf.isEmpty()) {
            on.add(ConcurrencyConflictException.class);
        }
        this.retryOn = on.toArray(new Class<?>[0]);
        List<Predicate<? super Throwable>> predicates = List.copyOf(b.retryIf);
        this.retryIf = predicates.isEmpty() ? t -> false : t -> {
            for (Predicate<? super Throwable> p : predicates) {
                if (p.test(t)) {
                    return true;
                }
            }
            return false;
        };
        this.abortOn = b.abortOn.toArray(new Class<?>[0]);
        this.listeners = List.copyOf(b.listeners);
        this.budget = b.budget;
        this.meterRegistry = b.meterRegistry;
        this.clock = b.clock;
        this.random = b.random;
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The policy's name: the {@code policy} tag of its metrics and the prefix of its log lines. */
    public String name() {
        return name;
    }

    /** The most attempts made, counting the first. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The time after which no new attempt starts, measured from the start of the first; empty for none. */
    public Optional<Duration> maxDuration() {
        return Optional.ofNullable(maxDuration);
    }

    /** The delay between attempts. */
    public Backoff backoff() {
        return backoff;
    }

    /** The shared retry budget, if any. */
    public Optional<RetryBudget> budget() {
        return Optional.ofNullable(budget);
    }

    /** The listeners, in the order they were added. */
    public List<RetryListener> listeners() {
        return listeners;
    }

    /** The clock that measures the deadline and sleeps the backoff. */
    public RetryClock clock() {
        return clock;
    }

    /**
     * Whether this policy retries {@code failure} (attempts, deadline and budget permitting): false if it is an
     * {@link InterruptedException} or matches {@code abortOn}; otherwise true if it matches {@code retryOn} or
     * {@code retryIf}.
     *
     * @throws NullPointerException if {@code failure} is null
     */
    public boolean shouldRetry(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        if (failure instanceof InterruptedException || matches(abortOn, failure)) {
            return false;
        }
        return matches(retryOn, failure) || retryIf.test(failure);
    }

    private static boolean matches(Class<?>[] types, Throwable failure) {
        for (Class<?> type : types) {
            if (type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "RetryPolicy[" + name + ", maxAttempts=" + maxAttempts + ", maxDuration=" + maxDuration
                + ", " + backoff + ", budget=" + budget + "]";
    }

    /**
     * Builds a {@link RetryPolicy}. Not thread-safe; each setter validates its argument at once.
     */
    public static final class Builder {

        private String name = "default";
        private int maxAttempts = 3;
        private Duration maxDuration;
        private Backoff backoff = DEFAULT_BACKOFF;
        private final List<Class<?>> retryOn = new ArrayList<>();
        private final List<Predicate<? super Throwable>> retryIf = new ArrayList<>();
        private final List<Class<?>> abortOn = new ArrayList<>();
        private final List<RetryListener> listeners = new ArrayList<>();
        private RetryBudget budget;
        private Object meterRegistry;
        private RetryClock clock = RetryClock.system();
        private RandomGenerator random;

        private Builder() {
        }

        /**
         * Names the policy in metrics ({@code policy} tag) and logs. Default: {@code "default"}.
         *
         * @throws NullPointerException if {@code name} is null
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank: '" + name + "'");
            }
            this.name = name;
            return this;
        }

        /**
         * The most attempts, counting the first: 3 means one call and up to two retries. Default: 3.
         *
         * @throws IllegalArgumentException if {@code maxAttempts} is below 1
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * A deadline, measured from the start of the first attempt: a retry whose backoff would end at or after
         * it is not made (the run ends with {@link RetryExhaustedException.Reason#DEADLINE} at once instead of
         * sleeping), so the policy never sleeps past the deadline. An attempt already running is left alone: it
         * is not interrupted, and if it succeeds after the deadline its result is returned. Default: none.
         *
         * @throws NullPointerException if {@code maxDuration} is null
         * @throws IllegalArgumentException if {@code maxDuration} is zero, negative or longer than about 292 years
         */
        public Builder maxDuration(Duration maxDuration) {
            Objects.requireNonNull(maxDuration, "maxDuration");
            if (maxDuration.isNegative() || maxDuration.isZero()) {
                throw new IllegalArgumentException("maxDuration must be positive: " + maxDuration);
            }
            try {
                maxDuration.toNanos();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("maxDuration is too long: " + maxDuration, e);
            }
            this.maxDuration = maxDuration;
            return this;
        }

        /**
         * The delay between attempts. Default: exponential from 10 ms, doubling, capped at 1 s, with
         * {@link Jitter#FULL}.
         *
         * @throws NullPointerException if {@code backoff} is null
         */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * Retries failures that are instances of any of {@code types} (adds to earlier calls). Default, when
         * neither this nor {@link #retryIf} is called: {@link ConcurrencyConflictException} only.
         *
         * @throws NullPointerException if {@code types} or one of its elements is null
         * @throws IllegalArgumentException if {@code types} is empty
         */
        @SafeVarargs
        public final Builder retryOn(Class<? extends Throwable>... types) {
            Objects.requireNonNull(types, "retryOn");
            requireSome(types.length, "retryOn");
            for (int i = 0; i < types.length; i++) {
                this.retryOn.add(Objects.requireNonNull(types[i], "retryOn[" + i + "]"));
            }
            return this;
        }

        /**
         * Retries failures for which {@code predicate} is true (adds to earlier calls, either one suffices).
         * Default: none.
         *
         * @throws NullPointerException if {@code predicate} is null
         */
        public Builder retryIf(Predicate<? super Throwable> predicate) {
            this.retryIf.add(Objects.requireNonNull(predicate, "predicate"));
            return this;
        }

        /**
         * Never retries failures that are instances of any of {@code types}, even if they match {@code retryOn}
         * or {@code retryIf}: the failure is passed to the caller at once. Default: none.
         *
         * @throws NullPointerException if {@code types} or one of its elements is null
         * @throws IllegalArgumentException if {@code types} is empty
         */
        @SafeVarargs
        public final Builder abortOn(Class<? extends Throwable>... types) {
            Objects.requireNonNull(types, "abortOn");
            requireSome(types.length, "abortOn");
            for (int i = 0; i < types.length; i++) {
                this.abortOn.add(Objects.requireNonNull(types[i], "abortOn[" + i + "]"));
            }
            return this;
        }

        /**
         * Adds a listener, told of failed attempts, scheduled retries, exhaustion and aborts. Default: none.
         *
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder listener(RetryListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * A retry budget, usually shared by several policies: each retry spends a token and stops the run with
         * {@link RetryExhaustedException.Reason#BUDGET} when none is left. Default: none (no limit beyond
         * {@code maxAttempts} and {@code maxDuration}).
         *
         * @throws NullPointerException if {@code budget} is null
         */
        public Builder budget(RetryBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /**
         * Publishes the counters {@code latchkey.retry.attempts}, {@code .conflicts}, {@code .exhausted},
         * {@code .aborted} and the timer {@code latchkey.retry.backoff}, tagged {@code policy=<name>}.
         * Micrometer is an optional dependency: without this call it is never loaded, and the parameter is typed
         * {@code Object} (as in HikariCP) so that no signature of this API names a Micrometer type, not even for
         * code that inspects this builder by reflection. Default: no metrics.
         *
         * @param registry an {@code io.micrometer.core.instrument.MeterRegistry}
         * @throws NullPointerException if {@code registry} is null
         * @throws IllegalArgumentException if {@code registry} is not a {@code MeterRegistry}, or Micrometer is not
         *         on the class path
         */
        public Builder meterRegistry(Object registry) {
            Objects.requireNonNull(registry, "registry");
            MicrometerRetryMetrics.checkRegistry(registry);
            this.meterRegistry = registry;
            return this;
        }

        /**
         * The clock for the deadline and the sleep for the backoff; tests pass a virtual one.
         * Default: {@link RetryClock#system()}.
         *
         * @throws NullPointerException if {@code clock} is null
         */
        public Builder clock(RetryClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The random source of the jitter, for example {@code new java.util.Random(42)} to make a test repeatable.
         * It is called from every thread that uses the policy, so it must be thread-safe if the policy is
         * shared. Default: {@link java.util.concurrent.ThreadLocalRandom} of the calling thread.
         *
         * @throws NullPointerException if {@code random} is null
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** An immutable policy with the settings made so far. */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }

        private static void requireSome(int length, String what) {
            if (length == 0) {
                throw new IllegalArgumentException(what + " needs at least one exception type: []");
            }
        }
    }
}
