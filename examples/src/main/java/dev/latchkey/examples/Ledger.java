package dev.latchkey.examples;

/**
 * The arithmetic every stock- or money-like scenario shares: how much was handed out, how much
 * the books say was taken, and by how much the invariant broke.
 */
public final class Ledger {

    private Ledger() {
    }

    /**
     * Units (or money) handed out beyond what existed, plus units handed out that the books do not
     * show as taken (a lost update). Zero when the invariant holds.
     *
     * @param initial   what existed at the start
     * @param handedOut what the clients were told they got
     * @param left      what the books say is left
     */
    public static long violations(long initial, long handedOut, long left) {
        long over = Math.max(0, handedOut - initial);
        long unaccounted = Math.abs(handedOut - (initial - left));
        return over + unaccounted;
    }
}
