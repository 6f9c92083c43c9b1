package dev.latchkey.examples;

import java.time.Duration;

/**
 * A variant's reported run: the outcome of the run shown in the table, how long it took, and for a
 * broken variant how many tries it took to see the race.
 *
 * @param label    the variant's label
 * @param broken   whether this is the variant that demonstrates the race
 * @param outcome  the run shown (for a broken variant: the first run that raced, or the last try)
 * @param elapsed  how long the shown run took
 * @param tries    how many runs were made
 * @param maxTries how many runs were allowed
 */
public record VariantResult(String label, boolean broken, Outcome outcome, Duration elapsed, int tries, int maxTries) {

    /** For a fixed variant: it kept its invariant. For a broken one: the race was seen. */
    public boolean asExpected() {
        return broken != outcome.held();
    }

    /** One honest word or three for the table. */
    public String verdict() {
        if (broken) {
            return outcome.held()
                    ? "race not seen in " + tries + " tries"
                    : "race seen (try " + tries + " of " + maxTries + ")";
        }
        return outcome.held() ? "holds" : "INVARIANT BROKEN";
    }
}
