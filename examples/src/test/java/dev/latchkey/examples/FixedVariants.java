package dev.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.util.List;

/** Runs the fixed variants of a scenario and checks that each kept its invariant. */
final class FixedVariants {

    private FixedVariants() {
    }

    static ScenarioReport runAndCheck(Backends backends, Scenario scenario) throws Exception {
        PrintStream out = System.out;
        ScenarioReport report = new ScenarioRunner(backends, Settings.DEFAULTS, out).run(scenario, false);
        assertThat(report.skippedReason()).as("%s must run on %s", scenario.name(), backends.describe()).isEmpty();
        List<VariantResult> rows = report.rows();
        assertThat(rows).as("fixed variants of %s", scenario.name()).isNotEmpty().noneMatch(VariantResult::broken);
        for (VariantResult r : rows) {
            assertThat(r.outcome().violations())
                    .as("%s / %s broke its invariant (%s): expected %s, got %s", scenario.name(), r.label(),
                            scenario.violationLabel(), r.outcome().expected(), r.outcome().actual())
                    .isZero();
        }
        return report;
    }

    /** The one row with this label. */
    static VariantResult row(ScenarioReport report, String labelStart) {
        return report.rows().stream().filter(r -> r.label().startsWith(labelStart)).findFirst()
                .orElseThrow(() -> new AssertionError("no variant starting with '" + labelStart + "' in " + report.rows()));
    }
}
