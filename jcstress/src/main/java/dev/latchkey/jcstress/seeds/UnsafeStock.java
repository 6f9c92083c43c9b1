package dev.latchkey.jcstress.seeds;

/**
 * The stock counter of seeds 001 and 003 exactly as the seeds first write it: the check
 * ({@code units >= quantity}) and the act ({@code units -= quantity}) are two separate steps
 * with nothing between two callers.
 *
 * <p>The pause between them stands for the seed's "processing payment, verification" step; it
 * widens the window so that the oversell shows up within a short jcstress run instead of only
 * under production load.
 */
public final class UnsafeStock {
    private int units;

    /** @param units units in stock at the start */
    public UnsafeStock(int units) {
        this.units = units;
    }

    /** Sells {@code quantity} units if the stock looks sufficient; returns whether it sold. */
    public boolean reserve(int quantity) {
        if (units >= quantity) {
            Checkout.verifyPayment();
            units -= quantity;
            return true;
        }
        return false;
    }

    /** Units left; may be negative once the counter has oversold. */
    public int units() {
        return units;
    }
}
