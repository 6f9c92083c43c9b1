package dev.latchkey.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a scenario's variants and prints its table. A broken variant is run again on fresh data
 * until the race shows, at most {@link Settings#maxTries()} times; if it never shows, the table says
 * so rather than pretending. A fixed variant runs once; it must hold every time.
 */
public final class ScenarioRunner {

    private final Backends backends;
    private final Settings settings;
    private final PrintStream out;

    public ScenarioRunner(Backends backends, Settings settings, PrintStream out) {
        this.backends = backends;
        this.settings = settings;
        this.out = out;
    }

    /** Runs every variant. */
    public ScenarioReport run(Scenario scenario) throws Exception {
        return run(scenario, true);
    }

    /** Runs the fixed variants only, and the broken ones too when {@code includeBroken}. */
    public ScenarioReport run(Scenario scenario, boolean includeBroken) throws Exception {
        out.println();
        out.println("== " + scenario.name() + ": " + scenario.title());
        var unavailable = scenario.unavailableReason(backends);
        if (unavailable.isPresent()) {
            out.println("   SKIPPED: " + unavailable.get());
            return ScenarioReport.skipped(scenario, unavailable.get());
        }
        List<VariantResult> rows = new ArrayList<>();
        for (Variant v : scenario.variants(backends, settings)) {
            if (v.broken() && !includeBroken) {
                continue;
            }
            rows.add(v.broken() ? runUntilRaced(v) : runOnce(v, 1));
        }
        var report = new ScenarioReport(scenario.name(), scenario.title(), scenario.violationLabel(),
                rows, java.util.Optional.empty());
        Table.forScenario(report).print(out);
        rows.stream().filter(r -> !r.outcome().note().isEmpty())
                .forEach(r -> out.println("   * " + r.label() + ": " + r.outcome().note()));
        return report;
    }

    private VariantResult runUntilRaced(Variant v) throws Exception {
        VariantResult last = null;
        for (int attempt = 1; attempt <= settings.maxTries(); attempt++) {
            last = runOnce(v, attempt);
            if (!last.outcome().held()) {
                return last;
            }
        }
        return last;
    }

    private VariantResult runOnce(Variant v, int attempt) throws Exception {
        long start = System.nanoTime();
        Outcome outcome;
        try {
            outcome = v.run();
        } catch (Exception e) {
            if (!v.broken()) {
                throw e;
            }
            // A broken variant may crash instead of corrupting data (seed 003: Go's "concurrent map
            // read and map write"); that is the race showing too.
            outcome = new Outcome("no crash", "crashed: " + e, 1, 0);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new VariantResult(v.label(), v.broken(), outcome, elapsed, attempt, settings.maxTries());
    }
}
