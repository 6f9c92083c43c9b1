package dev.latchkey.lock.spi;

/**
 * How a backend tells waiters that a name may have become free (Redis pub/sub, PostgreSQL
 * {@code LISTEN/NOTIFY}, an in-JVM condition).
 *
 * <p>A waiter {@linkplain #subscribe(String) subscribes} <em>before</em> its attempt, so a release
 * that lands between the failed attempt and the wait is never missed. Implementations should not
 * wake every waiter of a name at once when only one can win (wake one, or spread them).
 *
 * @since 0.1
 */
public interface ReleaseSignals {

    /** Signals nothing: waiters sleep until the holder's lease runs out or the poll cap. */
    ReleaseSignals NONE = name -> Subscription.NONE;

    /** Starts listening for releases of {@code name}; close the subscription when done waiting. */
    Subscription subscribe(String name);

    /**
     * Starts listening for releases of {@code name} on behalf of the waiter whose attempts use
     * {@code ownerToken}. A backend that hands a released lock straight to the next waiter (a
     * queue on the server) needs the token to know which attempts come from a waiter, to wake
     * exactly that waiter, and to withdraw it when {@link Subscription#close()} is called before it
     * acquired. The default ignores the token.
     *
     * @since 0.1
     */
    default Subscription subscribe(String name, String ownerToken) {
        return subscribe(name);
    }

    /**
     * Whether a waiting acquire should {@linkplain #subscribe(String, String) subscribe} before its
     * very first attempt rather than after it fails. A backend whose subscriptions cost no I/O (one
     * channel per provider, opened once) says true: then that first attempt can already queue the
     * waiter, which saves the waiter one round trip under contention. A backend whose subscribing is
     * itself a round trip (a {@code LISTEN}, say) keeps the default, false, so that an uncontended
     * acquire never pays for it.
     *
     * @since 0.1
     */
    default boolean subscribeBeforeFirstAttempt() {
        return false;
    }

    /** One waiter's interest in one name. */
    interface Subscription extends AutoCloseable {

        /** A subscription that is never signalled. */
        Subscription NONE = new Subscription() {
            @Override
            public boolean await(long nanos) throws InterruptedException {
                if (nanos > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(nanos);
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
                return false;
            }

            @Override
            public void close() {
            }
        };

        /**
         * Waits until signalled or {@code nanos} pass. A signal that arrived since
         * {@link ReleaseSignals#subscribe} (or since the last {@code await}) returns at once.
         *
         * @return true if signalled, false on timeout
         * @throws InterruptedException if the thread is interrupted
         */
        boolean await(long nanos) throws InterruptedException;

        /**
         * After {@link #await} returned true: the grant the backend made to this waiter itself while
         * it slept (a release that handed the lock straight over), or null when the waiter must
         * attempt again (a plain wake-up). A grant returned here is the caller's: its lease started
         * no earlier than the waiter's latest attempt was sent, and {@link #close()} leaves it
         * alone. The default returns null.
         *
         * @since 0.1
         */
        default AcquireResult handedOver() {
            return null;
        }

        /** Stops listening. Idempotent. */
        @Override
        void close();
    }
}
