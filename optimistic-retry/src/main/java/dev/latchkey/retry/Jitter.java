package dev.latchkey.retry;

/**
 * How a {@link Backoff} randomizes its delays, after the formulas of the AWS Architecture Blog study
 * "Exponential Backoff And Jitter". With {@code v = min(cap, base * multiplier^n)} the delay before
 * retry {@code n + 1} is:
 * <ul>
 *   <li>{@link #NONE}: {@code v};</li>
 *   <li>{@link #FULL}: {@code U(0, v)};</li>
 *   <li>{@link #EQUAL}: {@code v/2 + U(0, v/2)};</li>
 *   <li>{@link #DECORRELATED}: {@code U(base, min(cap, previous * 3))}, with {@code previous = base} before the
 *       first retry.</li>
 * </ul>
 * The cap is applied <em>before</em> randomizing, so delays that reached the cap keep their spread instead of
 * all collapsing onto the cap (clamping after randomizing makes a capped fleet retry in lock step again).
 * Without jitter, contending clients that failed together retry together; jitter spreads them out.
 *
 * @since 0.1.0
 */
public enum Jitter {
    /** No randomization: the delay is exactly {@code min(cap, base * multiplier^n)}. */
    NONE,
    /** Uniform between zero and the capped exponential delay: the lowest total work under contention. */
    FULL,
    /** Half the capped exponential delay plus a uniform random half: never retries almost at once. */
    EQUAL,
    /**
     * Uniform between the initial delay and three times the previous delay, capped: grows with the previous
     * random delay rather than with the attempt number. The backoff's multiplier is not used by this kind.
     */
    DECORRELATED
}
