package dev.latchkey.examples;

import java.util.Objects;

/**
 * One way of doing the same job on the same data: the broken way the seed describes, or a fix.
 * Every {@link #run()} sets up fresh data, so a broken variant can be run again until it races.
 */
public interface Variant {

    /** The row label, for example {@code "check-then-act (no lock)"}. */
    String label();

    /** True for the variant the seed shows racing; false for a fix that must never break. */
    boolean broken();

    /** Runs the variant once on fresh data and reports what happened. */
    Outcome run() throws Exception;

    /** The body of a variant. */
    @FunctionalInterface
    interface Body {
        Outcome run() throws Exception;
    }

    /** A variant that demonstrates the race. */
    static Variant broken(String label, Body body) {
        return of(label, true, body);
    }

    /** A variant that fixes the race and must keep its invariant on every run. */
    static Variant fixed(String label, Body body) {
        return of(label, false, body);
    }

    private static Variant of(String label, boolean broken, Body body) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(body, "body");
        return new Variant() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public boolean broken() {
                return broken;
            }

            @Override
            public Outcome run() throws Exception {
                return body.run();
            }
        };
    }
}
