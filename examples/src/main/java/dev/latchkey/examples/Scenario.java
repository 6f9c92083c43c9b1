package dev.latchkey.examples;

import java.util.List;
import java.util.Optional;

/**
 * One of the seeds' stories: a race and its fixes, run on the same data.
 */
public interface Scenario {

    /** The name given on the command line, for example {@code "inventory"}. */
    String name();

    /** One line: which seed, what is at stake. */
    String title();

    /** What the violation column counts: {@code "oversold"}, {@code "double-spent"}, ... */
    String violationLabel();

    /**
     * Why this scenario cannot run on these backends (for example: it needs Redis), or empty.
     */
    default Optional<String> unavailableReason(Backends backends) {
        return Optional.empty();
    }

    /** The variants, broken first, each runnable on fresh data. */
    List<Variant> variants(Backends backends, Settings settings);
}
