package dev.latchkey.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The launcher: {@code java -jar latchkey-examples.jar [scenario...] [--redis URI] [--jdbc URL]}.
 * With no scenario it runs them all and ends with a summary table.
 *
 * <p>Exit status: 0 when every fix held, 1 when a fix broke its invariant, 2 on a usage error
 * (including a scenario asked for by name whose server was not given).
 */
public final class Examples {

    private Examples() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    /** Runs the launcher and returns its exit status. */
    public static int run(String[] args, PrintStream out) throws Exception {
        Map<String, Scenario> known = new LinkedHashMap<>();
        Scenarios.all().forEach(s -> known.put(s.name(), s));
        Backends.Builder backends = Backends.builder();
        String jdbcUrl = null;
        String user = null;
        String password = null;
        Settings settings = Settings.DEFAULTS;
        List<Scenario> chosen = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> {
                        usage(out, known);
                        return 0;
                    }
                    case "--redis" -> backends.redis(value(args, ++i, a));
                    case "--jdbc" -> jdbcUrl = value(args, ++i, a);
                    case "--user" -> user = value(args, ++i, a);
                    case "--password" -> password = value(args, ++i, a);
                    case "--tries" -> settings = new Settings(settings.checkToActDelay(), Integer.parseInt(value(args, ++i, a)));
                    case "--delay-ms" -> settings = new Settings(
                            Duration.ofMillis(Long.parseLong(value(args, ++i, a))), settings.maxTries());
                    default -> {
                        Scenario s = known.get(a);
                        if (s == null) {
                            throw new IllegalArgumentException("unknown scenario or flag: " + a);
                        }
                        chosen.add(s);
                    }
                }
            }
            if (jdbcUrl != null) {
                backends.jdbc(jdbcUrl, user, password);
            } else if (user != null || password != null) {
                throw new IllegalArgumentException("--user and --password go with --jdbc");
            }
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            usage(out, known);
            return 2;
        }
        boolean all = chosen.isEmpty();
        if (all) {
            chosen.addAll(known.values());
        }
        try (Backends b = backends.build()) {
            out.println("Latchkey examples: the seeds' races, first broken, then fixed.");
            out.println(b.describe().indent(2).stripTrailing());
            if (b.lockBackend() == Backends.LockBackend.LOCAL && b.embeddedDatabase()) {
                out.println("  (embedded default: in-JVM lock and H2; pass --redis redis://host:port and/or"
                        + " --jdbc jdbc:postgresql://host/db?user=..&password=.. to use real servers)");
            }
            out.println("  check-to-act delay " + settings.checkToActDelay().toMillis()
                    + " ms; a broken variant is run up to " + settings.maxTries() + " times until it races");
            ScenarioRunner runner = new ScenarioRunner(b, settings, out);
            List<ScenarioReport> reports = new ArrayList<>();
            for (Scenario s : chosen) {
                reports.add(runner.run(s));
            }
            if (all || reports.size() > 1) {
                printSummary(reports, out);
            }
            if (!all && reports.stream().anyMatch(r -> r.skippedReason().isPresent())) {
                return 2;
            }
            return reports.stream().allMatch(ScenarioReport::fixesHeld) ? 0 : 1;
        }
    }

    static void printSummary(List<ScenarioReport> reports, PrintStream out) {
        out.println();
        out.println("== summary");
        Table t = new Table("scenario", "broken variant", "fixed variants", "elapsed");
        for (ScenarioReport r : reports) {
            if (r.skippedReason().isPresent()) {
                t.row(r.scenario(), "skipped (see above)", "-", "-");
                continue;
            }
            List<VariantResult> broken = r.rows().stream().filter(VariantResult::broken).toList();
            List<VariantResult> fixed = r.rows().stream().filter(v -> !v.broken()).toList();
            long raced = broken.stream().filter(v -> !v.outcome().held()).count();
            long held = fixed.stream().filter(v -> v.outcome().held()).count();
            String brokenCell = broken.isEmpty() ? "-"
                    : raced == broken.size() ? "race seen (" + raced + "/" + broken.size() + ")"
                    : "race seen in " + raced + " of " + broken.size();
            String fixedCell = held == fixed.size() ? "all hold (" + held + "/" + fixed.size() + ")"
                    : (fixed.size() - held) + " of " + fixed.size() + " BROKE";
            t.row(r.scenario(), brokenCell, fixedCell, Table.millis(r.elapsed()));
        }
        t.print(out);
        reports.stream().filter(r -> r.skippedReason().isPresent())
                .forEach(r -> out.println("   skipped " + r.scenario() + ": " + r.skippedReason().get()));
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static void usage(PrintStream out, Map<String, Scenario> known) {
        out.println("usage: java -jar latchkey-examples.jar [scenario...] [--redis redis://host:port]");
        out.println("         [--jdbc jdbc:postgresql://host:port/db] [--user U] [--password P]");
        out.println("         [--tries N] [--delay-ms MS]");
        out.println("with no scenario, runs them all and prints a summary. Scenarios:");
        known.values().forEach(s -> out.println("  " + s.name() + " ".repeat(Math.max(1, 20 - s.name().length())) + s.title()));
    }
}
