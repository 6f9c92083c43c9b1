package dev.latchkey.idempotency;

import dev.latchkey.idempotency.internal.FailurePayload;
import dev.latchkey.idempotency.internal.IdempotencyValidation;
import dev.latchkey.idempotency.internal.MicrometerIdempotencyMetrics;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.IdempotencyMetrics;
import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.idempotency.spi.StoredOutcome;
import dev.latchkey.lock.spi.OwnerTokens;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a request once per idempotency key and replays its stored response to duplicates.
 *
 * <p>The first request with a key atomically claims it in the store (in progress, under a random
 * claim token, for {@link Builder#inProgressTimeout(Duration)}), runs the action, and stores the
 * encoded response for {@link Builder#retention(Duration)}. Later requests with the same key and
 * the same fingerprint get that response decoded without running the action
 * ({@link IdempotentResult#replayed()} is true). A duplicate that arrives while the first is still
 * running gets {@link IdempotencyInProgressException} (HTTP 409), or waits for the result if
 * {@link Builder#waitForCompletion(Duration)} allows. A request that reuses the key with a different
 * fingerprint gets {@link IdempotencyKeyReuseException} (HTTP 422) whatever state the key is in.
 *
 * <p>If the action throws, the claim is released so the client can retry, unless
 * {@link Builder#finalFailure(Predicate)} marks the failure final: then it is stored and replayed
 * as {@link IdempotencyStoredFailureException}. If the process dies mid-action, the claim expires
 * after the in-progress timeout and the next request takes it over; a late completion from the
 * dead claimant is rejected by its stale claim token and never overwrites the newer result.
 *
 * <p>A key is bound to its first request's fingerprint while its record lives: until the claim
 * times out (if never completed), until the retention ends (if completed), or until a failure
 * releases it. After that the key is free for any request.
 *
 * <p>What it does not do: it cannot make the action itself atomic with storing the response. An
 * action that outlives the in-progress timeout may run twice; choose a timeout well above the
 * action's worst case. Instances are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Idempotency {

    private static final Logger LOG = LoggerFactory.getLogger(Idempotency.class);
    private static final long MIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final IdempotencyStore store;
    private final Duration inProgressTimeout;
    private final Duration retention;
    private final int maxResponseBytes;
    private final Duration maxWait;
    private final Predicate<Throwable> finalFailure;
    private final IdempotencyMetrics metrics;

    private Idempotency(Builder b) {
        this.store = b.store;
        this.inProgressTimeout = b.inProgressTimeout;
        this.retention = b.retention;
        this.maxResponseBytes = b.maxResponseBytes;
        this.maxWait = b.maxWait;
        this.finalFailure = b.finalFailure;
        this.metrics = b.metrics;
    }

    /**
     * Starts a builder over {@code store}.
     *
     * @param store where records live: {@link InMemoryIdempotencyStore}, {@link RedisIdempotencyStore},
     *     {@link JdbcIdempotencyStore} or your own
     * @return a new builder
     * @throws NullPointerException if {@code store} is null
     */
    public static Builder builder(IdempotencyStore store) {
        return new Builder(Objects.requireNonNull(store, "store"));
    }

    /**
     * Runs {@code action} once for {@code key} and returns its response, or replays the stored one.
     *
     * @param key the idempotency key: 1 to 255 visible ASCII characters
     * @param requestFingerprint a digest of what makes the request this request (method, path,
     *     body, caller), at most 128 bytes; a duplicate must present the same bytes
     * @param codec turns the response into stored bytes and back
     * @param action the work to do once
     * @param <T> the response type
     * @return the action's response, or the stored response of an earlier request
     * @throws NullPointerException if any argument is null
     * @throws IllegalArgumentException if the key or fingerprint is malformed
     * @throws IdempotencyInProgressException if another request holds the key
     * @throws IdempotencyKeyReuseException if the key was used with a different fingerprint
     * @throws IdempotencyStoredFailureException if an earlier request failed finally
     * @throws IdempotencyResponseTooLargeException if the encoded response exceeds the limit
     * @throws IdempotencyActionException wrapping a checked exception from the action
     * @throws IdempotencyBackendException if the store failed
     */
    public <T> T execute(String key, byte[] requestFingerprint, ResponseCodec<T> codec, Callable<T> action) {
        return executeForResult(key, requestFingerprint, codec, action).value();
    }

    /**
     * Like {@link #execute} but also says whether the response was replayed.
     *
     * @param key the idempotency key: 1 to 255 visible ASCII characters
     * @param requestFingerprint a digest of the request, at most 128 bytes
     * @param codec turns the response into stored bytes and back
     * @param action the work to do once
     * @param <T> the response type
     * @return the response and whether it was replayed
     * @throws NullPointerException if any argument is null
     * @throws IllegalArgumentException if the key or fingerprint is malformed
     * @throws IdempotencyException subclasses as listed on {@link #execute}
     */
    public <T> IdempotentResult<T> executeForResult(String key, byte[] requestFingerprint, ResponseCodec<T> codec,
            Callable<T> action) {
        IdempotencyValidation.key(key);
        byte[] fingerprint = IdempotencyValidation.fingerprint(requestFingerprint).clone();
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(action, "action");

        String token = OwnerTokens.next();
        long start = System.nanoTime();
        long pollNanos = MIN_POLL_NANOS;
        while (true) {
            ClaimResult found = claim(key, fingerprint, token);
            switch (found.status()) {
                case CLAIMED:
                    metrics.claimed();
                    if (found.takeover()) {
                        metrics.tookOver();
                        LOG.info("idempotency key \"{}\": took over an in-progress claim older than {}", key,
                                inProgressTimeout);
                    }
                    return runClaimed(key, token, codec, action);
                case COMPLETED:
                    requireSameFingerprint(key, fingerprint, found);
                    metrics.replayed();
                    if (found.outcome() == StoredOutcome.FAILURE) {
                        throw new IdempotencyStoredFailureException(key, FailurePayload.type(found.payload()),
                                FailurePayload.message(found.payload()));
                    }
                    return new IdempotentResult<>(codec.decode(found.payload()), true);
                case IN_PROGRESS:
                default:
                    requireSameFingerprint(key, fingerprint, found);
                    long remaining = maxWait.toNanos() - (System.nanoTime() - start);
                    if (remaining <= 0) {
                        metrics.inProgressConflict();
                        throw new IdempotencyInProgressException(key);
                    }
                    pause(key, Math.min(remaining, jittered(pollNanos)));
                    pollNanos = Math.min(pollNanos * 2, MAX_POLL_NANOS);
            }
        }
    }

    private <T> IdempotentResult<T> runClaimed(String key, String token, ResponseCodec<T> codec, Callable<T> action) {
        T value;
        try {
            value = action.call();
        } catch (Throwable failure) {
            if (isFinal(failure)) {
                store(key, token, StoredOutcome.FAILURE, FailurePayload.encode(failure, maxResponseBytes), failure);
            } else {
                releaseQuietly(key, token, failure);
            }
            throw rethrowable(key, failure);
        }
        byte[] encoded;
        try {
            encoded = Objects.requireNonNull(codec.encode(value), "codec returned null");
        } catch (RuntimeException | Error e) {
            releaseQuietly(key, token, e);
            throw e;
        }
        if (encoded.length > maxResponseBytes) {
            IdempotencyResponseTooLargeException tooLarge =
                    new IdempotencyResponseTooLargeException(key, encoded.length, maxResponseBytes);
            releaseQuietly(key, token, tooLarge);
            throw tooLarge;
        }
        store(key, token, StoredOutcome.SUCCESS, encoded, null);
        return new IdempotentResult<>(value, false);
    }

    private void store(String key, String token, StoredOutcome outcome, byte[] payload, Throwable actionFailure) {
        boolean stored;
        try {
            stored = store.complete(key, token, outcome, payload, retention);
        } catch (RuntimeException e) {
            IdempotencyBackendException failure = backendFailure(key,
                    "the action ran but its outcome could not be stored; duplicates get 409 until the claim "
                            + "expires after " + inProgressTimeout, e);
            if (actionFailure != null) {
                actionFailure.addSuppressed(failure);
                return;
            }
            throw failure;
        }
        if (!stored) {
            // The claim expired and another request took it over (or it was removed): that
            // request's result stands. This caller's work happened anyway, so it gets its value.
            metrics.claimLost();
            LOG.warn("idempotency key \"{}\": the claim was lost before completion (the action outlived the "
                    + "in-progress timeout of {}); its result was not stored", key, inProgressTimeout);
        }
    }

    private ClaimResult claim(String key, byte[] fingerprint, String token) {
        try {
            return Objects.requireNonNull(store.claim(key, fingerprint, token, inProgressTimeout),
                    "store returned a null claim result");
        } catch (IdempotencyException e) {
            throw e;
        } catch (RuntimeException e) {
            throw backendFailure(key, "claim failed", e);
        }
    }

    private void releaseQuietly(String key, String token, Throwable reason) {
        try {
            store.release(key, token);
        } catch (RuntimeException e) {
            // The claim will expire after the in-progress timeout; the caller's own failure matters more.
            reason.addSuppressed(e);
            LOG.warn("idempotency key \"{}\": could not release the claim; it expires after {}", key,
                    inProgressTimeout, e);
        }
    }

    private boolean isFinal(Throwable failure) {
        try {
            return finalFailure.test(failure);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            return false;
        }
    }

    private void requireSameFingerprint(String key, byte[] fingerprint, ClaimResult found) {
        if (!MessageDigest.isEqual(fingerprint, found.fingerprint())) {
            metrics.fingerprintMismatch();
            throw new IdempotencyKeyReuseException(key);
        }
    }

    private static RuntimeException rethrowable(String key, Throwable failure) {
        if (failure instanceof RuntimeException) {
            return (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        return new IdempotencyActionException(key, (Exception) failure);
    }

    private static IdempotencyBackendException backendFailure(String key, String what, RuntimeException e) {
        if (e instanceof IdempotencyBackendException) {
            return (IdempotencyBackendException) e;
        }
        return new IdempotencyBackendException(key, "idempotency store failed for key \"" + key + "\": " + what, e);
    }

    private static long jittered(long nanos) {
        return nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1);
    }

    private static void pause(String key, long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            IdempotencyInProgressException conflict = new IdempotencyInProgressException(key);
            conflict.addSuppressed(e);
            throw conflict;
        }
    }

    @Override
    public String toString() {
        return "Idempotency{store=" + store + ", inProgressTimeout=" + inProgressTimeout + ", retention=" + retention
                + ", maxResponseBytes=" + maxResponseBytes + ", waitForCompletion=" + maxWait + '}';
    }

    /**
     * Configures an {@link Idempotency}. Not thread-safe; {@link #build()} copies the settings into
     * an immutable instance.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final IdempotencyStore store;
        private Duration inProgressTimeout = Duration.ofSeconds(30);
        private Duration retention = Duration.ofHours(24);
        private int maxResponseBytes = 1024 * 1024;
        private Duration maxWait = Duration.ZERO;
        private Predicate<Throwable> finalFailure = failure -> false;
        private IdempotencyMetrics metrics = IdempotencyMetrics.NONE;

        private Builder(IdempotencyStore store) {
            this.store = store;
        }

        /**
         * How long a claim protects a running request before another request may take it over.
         * Choose it above the action's worst-case duration. Default 30 seconds.
         *
         * @param timeout at least 10 ms
         * @return this builder
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalArgumentException if it is shorter than 10 ms
         */
        public Builder inProgressTimeout(Duration timeout) {
            this.inProgressTimeout = atLeast(timeout, Duration.ofMillis(10), "inProgressTimeout");
            return this;
        }

        /**
         * How long a completed response is kept and replayed. Default 24 hours.
         *
         * @param retention at least 1 ms
         * @return this builder
         * @throws NullPointerException if {@code retention} is null
         * @throws IllegalArgumentException if it is shorter than 1 ms
         */
        public Builder retention(Duration retention) {
            this.retention = atLeast(retention, Duration.ofMillis(1), "retention");
            return this;
        }

        /**
         * The largest encoded response stored. A larger one fails with
         * {@link IdempotencyResponseTooLargeException} and releases the claim. Default 1 MiB.
         *
         * @param bytes at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is less than 1
         */
        public Builder maxResponseBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxResponseBytes must be at least 1, was " + bytes);
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /**
         * How long a duplicate waits for an in-progress request to finish before it gets
         * {@link IdempotencyInProgressException}. The wait polls the store with a capped, jittered
         * backoff (5 to 200 ms); if the other request fails and releases the key, the waiter claims
         * it. Default zero: refuse at once.
         *
         * @param maxWait zero or positive
         * @return this builder
         * @throws NullPointerException if {@code maxWait} is null
         * @throws IllegalArgumentException if it is negative
         */
        public Builder waitForCompletion(Duration maxWait) {
            this.maxWait = atLeast(maxWait, Duration.ZERO, "waitForCompletion");
            return this;
        }

        /**
         * Marks some of the action's failures final: they are stored (class name and message) and
         * replayed to duplicates as {@link IdempotencyStoredFailureException} instead of releasing
         * the key. Default: no failure is final.
         *
         * @param isFinal tested on each failure; if it throws, the failure is treated as not final
         * @return this builder
         * @throws NullPointerException if {@code isFinal} is null
         */
        public Builder finalFailure(Predicate<Throwable> isFinal) {
            this.finalFailure = Objects.requireNonNull(isFinal, "isFinal");
            return this;
        }

        /**
         * Counts claims, takeovers, replays, in-progress conflicts, fingerprint mismatches and lost
         * claims in Micrometer, tagged with the store's class name. Default: no metrics.
         *
         * @param registry the registry
         * @return this builder
         * @throws NullPointerException if {@code registry} is null
         */
        public Builder meterRegistry(MeterRegistry registry) {
            Objects.requireNonNull(registry, "registry");
            this.metrics = new MicrometerIdempotencyMetrics(registry, store.getClass().getSimpleName());
            return this;
        }

        /**
         * Builds the immutable {@link Idempotency}.
         *
         * @return a new instance
         */
        public Idempotency build() {
            return new Idempotency(this);
        }

        private static Duration atLeast(Duration value, Duration min, String name) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0) {
                throw new IllegalArgumentException(name + " must be at least " + min.toMillis() + " ms, was " + value);
            }
            return value;
        }
    }
}
