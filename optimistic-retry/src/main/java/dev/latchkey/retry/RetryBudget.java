package dev.latchkey.retry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket that bounds retries across every policy sharing it, so that a fleet under contention fails
 * fast instead of multiplying its load (the idea of Finagle's {@code RetryBudget} and the AWS SDK's retry quota).
 * Each retry spends one token; each successful call earns {@code tokensPerSuccess} tokens back, up to the
 * capacity. The bucket starts full. With {@code create(10, 0.1)} a steady state allows about one retry per ten
 * successes, plus a burst of ten.
 *
 * <p>Thread-safe and lock-free: the balance is one {@link AtomicLong} of thousandths of a token changed by
 * compare-and-set. Recording a success while the bucket is full is a single volatile read, so the budget costs
 * nothing measurable on the path where first attempts succeed.
 *
 * <pre>{@code
 * RetryBudget budget = RetryBudget.create(20, 0.1);   // share one instance between policies
 * RetryPolicy a = RetryPolicy.builder().budget(budget).build();
 * RetryPolicy b = RetryPolicy.builder().budget(budget).maxAttempts(5).build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class RetryBudget {

    /** Thousandths of a token: integer arithmetic keeps the accounting exact under concurrency. */
    private static final long SCALE = 1000L;

    private final long capacity;
    private final long earnPerSuccess;
    private final AtomicLong balance;

    private RetryBudget(long capacity, long earnPerSuccess) {
        this.capacity = capacity;
        this.earnPerSuccess = earnPerSuccess;
        this.balance = new AtomicLong(capacity);
    }

    /**
     * A full bucket.
     *
     * @param maxRetryTokens the capacity: the largest burst of retries, at least 1
     * @param tokensPerSuccess tokens earned back per success, between 0.001 and {@code maxRetryTokens}
     * @throws IllegalArgumentException if {@code maxRetryTokens} is below 1, or {@code tokensPerSuccess} is not
     *         a finite number in range
     */
    public static RetryBudget create(int maxRetryTokens, double tokensPerSuccess) {
        if (maxRetryTokens < 1) {
            throw new IllegalArgumentException("maxRetryTokens must be at least 1: " + maxRetryTokens);
        }
        if (!(tokensPerSuccess >= 0.001) || tokensPerSuccess > maxRetryTokens) {
            throw new IllegalArgumentException("tokensPerSuccess must be between 0.001 and maxRetryTokens ("
                    + maxRetryTokens + "): " + tokensPerSuccess);
        }
        return new RetryBudget(maxRetryTokens * SCALE, Math.round(tokensPerSuccess * SCALE));
    }

    /**
     * Spends one token for a retry.
     *
     * @return true if a token was spent and the retry may run; false if the bucket holds less than one token
     */
    public boolean tryAcquireRetry() {
        while (true) {
            long current = balance.get();
            if (current < SCALE) {
                return false;
            }
            if (balance.compareAndSet(current, current - SCALE)) {
                return true;
            }
        }
    }

    /** Earns back {@code tokensPerSuccess} tokens for a successful call, never above the capacity. */
    public void recordSuccess() {
        while (true) {
            long current = balance.get();
            if (current >= capacity) {
                return;
            }
            long next = Math.min(capacity, current + earnPerSuccess);
            if (balance.compareAndSet(current, next)) {
                return;
            }
        }
    }

    /** The tokens available now (a snapshot). */
    public double availableTokens() {
        return balance.get() / (double) SCALE;
    }

    /** The capacity in tokens. */
    public int maxRetryTokens() {
        return (int) (capacity / SCALE);
    }

    /** Tokens earned back per success. */
    public double tokensPerSuccess() {
        return earnPerSuccess / (double) SCALE;
    }

    @Override
    public String toString() {
        return "RetryBudget[available=" + availableTokens() + ", max=" + maxRetryTokens()
                + ", perSuccess=" + tokensPerSuccess() + "]";
    }
}
