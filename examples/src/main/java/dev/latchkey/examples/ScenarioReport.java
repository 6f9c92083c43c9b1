package dev.latchkey.examples;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What running one scenario produced.
 *
 * @param scenario       the scenario's name
 * @param title          its one-line title
 * @param violationLabel what its violation column counts
 * @param rows           one result per variant, in order
 * @param skippedReason  why it did not run, or empty
 */
public record ScenarioReport(String scenario, String title, String violationLabel,
                             List<VariantResult> rows, Optional<String> skippedReason) {

    public ScenarioReport {
        rows = List.copyOf(rows);
    }

    static ScenarioReport skipped(Scenario s, String reason) {
        return new ScenarioReport(s.name(), s.title(), s.violationLabel(), List.of(), Optional.of(reason));
    }

    /** True when every fixed variant held (a race not seen in a broken variant is not a failure). */
    public boolean fixesHeld() {
        return rows.stream().filter(r -> !r.broken()).allMatch(r -> r.outcome().held());
    }

    /** Total time spent in the shown runs. */
    public Duration elapsed() {
        return rows.stream().map(VariantResult::elapsed).reduce(Duration.ZERO, Duration::plus);
    }
}
