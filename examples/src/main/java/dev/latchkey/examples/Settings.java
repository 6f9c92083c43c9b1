package dev.latchkey.examples;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard the examples push.
 *
 * @param checkToActDelay the deliberate pause between "check" and "act" (the seeds' payment or
 *                        verification step); it widens the race window so the broken variants race
 *                        on any machine, and the fixed variants must hold with it all the same
 * @param maxTries        how many times a broken variant is run before reporting that the race was not seen
 */
public record Settings(Duration checkToActDelay, int maxTries) {

    /** 20 ms between check and act, up to 10 tries. */
    public static final Settings DEFAULTS = new Settings(Duration.ofMillis(20), 10);

    public Settings {
        Objects.requireNonNull(checkToActDelay, "checkToActDelay");
        if (checkToActDelay.isNegative()) {
            throw new IllegalArgumentException("checkToActDelay must not be negative: " + checkToActDelay);
        }
        if (maxTries < 1) {
            throw new IllegalArgumentException("maxTries must be at least 1: " + maxTries);
        }
    }

    /** Sleeps for the check-to-act delay: the window in which a racing request slips in. */
    public void pauseBetweenCheckAndAct() throws InterruptedException {
        if (!checkToActDelay.isZero()) {
            Thread.sleep(checkToActDelay.toMillis(), checkToActDelay.toNanosPart() % 1_000_000);
        }
    }
}
