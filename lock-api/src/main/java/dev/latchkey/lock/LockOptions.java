package dev.latchkey.lock;

import dev.latchkey.lock.spi.LockValidation;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable options of a lock: how long a grant lasts, whether it renews itself, and who hears
 * when a renewed lease is lost. Build with {@link #builder()}, derive a changed copy with
 * {@link #mutate()}; {@link #defaults()} are a 30 s lease without auto-renewal.
 *
 * <p>Auto-renewal: a shared daemon scheduler extends the lease at a third of its time. If an
 * extension fails (the grant was taken, or the backend stays unreachable until the safe deadline),
 * the lease is marked lost, {@link LockLease#isHeld()} turns false and the
 * {@linkplain Builder#leaseLostListener(LeaseLostListener) listener} is told.
 *
 * @since 0.1
 */
public final class LockOptions {

    /** The default lease time: 30 seconds. */
    public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(30);

    private static final LockOptions DEFAULTS = new Builder().build();

    private final Duration leaseTime;
    private final boolean autoRenew;
    private final LeaseLostListener leaseLostListener;

    private LockOptions(Builder b) {
        this.leaseTime = b.leaseTime;
        this.autoRenew = b.autoRenew;
        this.leaseLostListener = b.leaseLostListener;
    }

    /** A 30 s lease, no auto-renewal, no listener. */
    public static LockOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the {@linkplain #defaults() defaults}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder mutate() {
        Builder b = new Builder();
        b.leaseTime = leaseTime;
        b.autoRenew = autoRenew;
        b.leaseLostListener = leaseLostListener;
        return b;
    }

    /** How long a grant lasts on the backend's clock unless released, extended or renewed. */
    public Duration leaseTime() {
        return leaseTime;
    }

    /** Whether a shared scheduler extends the lease at a third of its time until release. */
    public boolean autoRenew() {
        return autoRenew;
    }

    /** Told once when a lease is found lost; a no-op listener when none was set. */
    public LeaseLostListener leaseLostListener() {
        return leaseLostListener;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LockOptions other
                && leaseTime.equals(other.leaseTime)
                && autoRenew == other.autoRenew
                && leaseLostListener.equals(other.leaseLostListener);
    }

    @Override
    public int hashCode() {
        return Objects.hash(leaseTime, autoRenew, leaseLostListener);
    }

    @Override
    public String toString() {
        return "LockOptions[leaseTime=" + leaseTime + ", autoRenew=" + autoRenew + "]";
    }

    /** Builds {@link LockOptions}; not thread-safe. */
    public static final class Builder {
        private Duration leaseTime = DEFAULT_LEASE_TIME;
        private boolean autoRenew;
        private LeaseLostListener leaseLostListener = LeaseLostListener.NONE;

        private Builder() {
        }

        /**
         * Sets how long a grant lasts. Default 30 s.
         *
         * @throws NullPointerException if {@code leaseTime} is null
         * @throws IllegalArgumentException if {@code leaseTime} is shorter than 10 ms or longer than 100 years
         */
        public Builder leaseTime(Duration leaseTime) {
            this.leaseTime = LockValidation.leaseTime(leaseTime);
            return this;
        }

        /** Turns auto-renewal on or off. Default off. */
        public Builder autoRenew(boolean autoRenew) {
            this.autoRenew = autoRenew;
            return this;
        }

        /**
         * Sets who is told when a lease is lost (a failed renewal, or a failed extend). Default: nobody.
         *
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder leaseLostListener(LeaseLostListener listener) {
            this.leaseLostListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Returns the immutable options. */
        public LockOptions build() {
            return new LockOptions(this);
        }
    }
}
