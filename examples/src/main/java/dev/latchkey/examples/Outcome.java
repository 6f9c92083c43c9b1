package dev.latchkey.examples;

import java.util.Objects;

/**
 * What one run of one variant produced, in words a reader of the table understands.
 *
 * @param expected   what a correct system ends with, for example {@code "10 sold, 5 rejected"}
 * @param actual     what this run ended with
 * @param violations how often the invariant broke: units oversold, money double-spent, extra bookings
 * @param rejected   requests refused (out of stock, slot taken, 409, 422, ...)
 * @param note       a short remark for the table, or empty
 */
public record Outcome(String expected, String actual, long violations, long rejected, String note) {

    public Outcome {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(note, "note");
        if (violations < 0) {
            throw new IllegalArgumentException("violations must not be negative: " + violations);
        }
    }

    public Outcome(String expected, String actual, long violations, long rejected) {
        this(expected, actual, violations, rejected, "");
    }

    /** True when the invariant held in this run. */
    public boolean held() {
        return violations == 0;
    }
}
