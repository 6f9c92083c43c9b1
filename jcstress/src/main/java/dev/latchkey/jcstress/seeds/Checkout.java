package dev.latchkey.jcstress.seeds;

/**
 * The seeds' step between checking the stock and taking it ("processing payment,
 * verification"), reduced to a short spin that the JIT cannot remove.
 */
final class Checkout {
    /** Spin iterations; about a microsecond on current x86, enough for the other actor to check too. */
    private static final int SPINS = 16;

    private Checkout() {
    }

    static void verifyPayment() {
        for (int i = 0; i < SPINS; i++) {
            Thread.onSpinWait();
        }
    }
}
