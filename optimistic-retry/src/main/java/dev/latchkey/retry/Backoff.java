package dev.latchkey.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The delay between a failed attempt and the next one: none, fixed, or exponential with a cap, optionally
 * randomized by a {@link Jitter}. Immutable and thread-safe.
 *
 * <pre>{@code
 * Backoff.exponential(Duration.ofMillis(10), 2.0, Duration.ofSeconds(1)).withJitter(Jitter.FULL)
 * }</pre>
 *
 * <p>A backoff whose delays are all zero ({@link #none()}, {@code fixed(Duration.ZERO)}) never sleeps: the
 * retry loop does not even call into the clock's sleep.
 *
 * @since 0.1.0
 */
public final class Backoff {

    private enum Kind { NONE, FIXED, EXPONENTIAL }

    private static final Backoff NONE = new Backoff(Kind.NONE, 0L, 1.0, 0L, Jitter.NONE);

    private final Kind kind;
    private final long initialNanos;
    private final double multiplier;
    private final long maxNanos;
    private final Jitter jitter;

    private Backoff(Kind kind, long initialNanos, double multiplier, long maxNanos, Jitter jitter) {
        this.kind = kind;
        this.initialNanos = initialNanos;
        this.multiplier = multiplier;
        this.maxNanos = maxNanos;
        this.jitter = jitter;
    }

    /** No delay at all: retries follow at once and nothing sleeps. */
    public static Backoff none() {
        return NONE;
    }

    /**
     * The same delay before every retry.
     *
     * @param delay the delay, zero or positive
     * @throws NullPointerException if {@code delay} is null
     * @throws IllegalArgumentException if {@code delay} is negative or longer than about 292 years
     */
    public static Backoff fixed(Duration delay) {
        long nanos = toNanos(delay, "delay");
        return nanos == 0 ? NONE : new Backoff(Kind.FIXED, nanos, 1.0, nanos, Jitter.NONE);
    }

    /**
     * A delay of {@code initial * multiplier^n} before retry {@code n + 1}, never more than {@code max}.
     *
     * @param initial the delay before the first retry, positive
     * @param multiplier the growth factor, finite and at least 1
     * @param max the cap, at least {@code initial}
     * @throws NullPointerException if a duration is null
     * @throws IllegalArgumentException if {@code initial} is not positive, {@code multiplier} is below 1 or not
     *         finite, or {@code max} is shorter than {@code initial}
     */
    public static Backoff exponential(Duration initial, double multiplier, Duration max) {
        long initialNanos = toNanos(initial, "initial");
        long maxNanos = toNanos(max, "max");
        if (initialNanos <= 0) {
            throw new IllegalArgumentException("initial must be positive: " + initial);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1: " + multiplier);
        }
        if (maxNanos < initialNanos) {
            throw new IllegalArgumentException("max (" + max + ") must not be shorter than initial (" + initial + ")");
        }
        return new Backoff(Kind.EXPONENTIAL, initialNanos, multiplier, maxNanos, Jitter.NONE);
    }

    /**
     * A copy of this backoff randomized by {@code jitter}. Default: {@link Jitter#NONE}.
     *
     * @throws NullPointerException if {@code jitter} is null
     */
    public Backoff withJitter(Jitter jitter) {
        Objects.requireNonNull(jitter, "jitter");
        if (kind == Kind.NONE || jitter == this.jitter) {
            return this;
        }
        return new Backoff(kind, initialNanos, multiplier, maxNanos, jitter);
    }

    /** The jitter applied to the delays. */
    public Jitter jitter() {
        return jitter;
    }

    /** The delay before the first retry (before jitter). */
    public Duration initial() {
        return Duration.ofNanos(initialNanos);
    }

    /** The growth factor (1 for fixed and none). */
    public double multiplier() {
        return multiplier;
    }

    /** The cap on every delay. */
    public Duration max() {
        return Duration.ofNanos(maxNanos);
    }

    /** True when every delay is zero, so a retry never sleeps. */
    public boolean isZero() {
        return maxNanos == 0L;
    }

    /**
     * The delay before retry number {@code retry} (1 for the retry after the first failure).
     *
     * @param retry the retry number, at least 1
     * @param previousDelayNanos the delay chosen before the previous retry, or 0 before the first; only
     *        {@link Jitter#DECORRELATED} uses it
     * @param random the random source for the jitter
     * @return the delay in nanoseconds, between 0 and {@link #max()}
     * @throws IllegalArgumentException if {@code retry} is below 1
     */
    public long delayNanos(int retry, long previousDelayNanos, RandomGenerator random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be at least 1: " + retry);
        }
        if (kind == Kind.NONE) {
            return 0L;
        }
        switch (jitter) {
            case NONE:
                return capped(retry);
            case FULL:
                return uniform(random, capped(retry));
            case EQUAL: {
                long v = capped(retry);
                long half = v / 2;
                return (v - half) + uniform(random, half);
            }
            case DECORRELATED: {
                long previous = previousDelayNanos <= 0 ? initialNanos : previousDelayNanos;
                long grown = previous > maxNanos / 3 ? maxNanos : previous * 3;
                long upper = Math.min(maxNanos, grown);
                return upper <= initialNanos ? upper : initialNanos + uniform(random, upper - initialNanos);
            }
            default:
                throw new AssertionError(jitter);
        }
    }

    /** {@code min(cap, base * multiplier^(retry-1))}, computed in double so it cannot overflow. */
    private long capped(int retry) {
        if (kind == Kind.FIXED || multiplier == 1.0) {
            return initialNanos;
        }
        double v = initialNanos * Math.pow(multiplier, retry - 1);
        return v >= maxNanos ? maxNanos : (long) v;
    }

    /** Uniform in [0, bound). */
    private static long uniform(RandomGenerator random, long bound) {
        return bound <= 0 ? 0L : random.nextLong(bound);
    }

    private static long toNanos(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + " is too long: " + d, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Backoff)) {
            return false;
        }
        Backoff b = (Backoff) o;
        return kind == b.kind && initialNanos == b.initialNanos && Double.compare(multiplier, b.multiplier) == 0
                && maxNanos == b.maxNanos && jitter == b.jitter;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, initialNanos, multiplier, maxNanos, jitter);
    }

    @Override
    public String toString() {
        switch (kind) {
            case NONE:
                return "Backoff.none()";
            case FIXED:
                return "Backoff.fixed(" + Duration.ofNanos(initialNanos) + ", " + jitter + ")";
            default:
                return "Backoff.exponential(" + Duration.ofNanos(initialNanos) + ", " + multiplier + ", "
                        + Duration.ofNanos(maxNanos) + ", " + jitter + ")";
        }
    }
}
