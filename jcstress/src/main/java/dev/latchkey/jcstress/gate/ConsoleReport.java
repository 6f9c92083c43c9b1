package dev.latchkey.jcstress.gate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a jcstress 0.16 run printed, read line by line: each harness's status in each
 * configuration, its outcome table, and the run's closing counts.
 *
 * <p>jcstress prints a block per harness and configuration while it runs
 * ({@code [OK] name}, then a table of {@code RESULT SAMPLES FREQ EXPECT DESCRIPTION}), a progress
 * line {@code (Results: N planned; N passed, N failed, N soft errs, N hard errs)}, and at the end
 * a {@code RUN RESULTS:} section with {@code Failed tests:} and {@code Error tests:} counts. The
 * per-configuration blocks are summed here; the closing section is only cross-checked, because
 * its details depend on the verbosity.
 */
final class ConsoleReport {

    private static final Pattern STATUS = Pattern.compile("^\\.*\\s*\\[([A-Z][A-Z _-]*)]\\s+(\\S+)\\s*$");
    private static final Pattern ROW = Pattern.compile(
            "^\\s+(.+?)\\s+([0-9][0-9,]*)\\s+(<?\\s*[0-9.]+%)\\s+(Acceptable|Interesting|Forbidden|Unknown)\\b\\s*(.*)$");
    private static final Pattern PROGRESS = Pattern.compile(
            "\\(Results: (\\d+) planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard errs\\)");
    private static final Pattern SECTION = Pattern.compile(
            "^\\s+(Interesting|Failed|Error|All remaining) tests: (?:No matches\\.|(\\d+) matching test results\\..*)$");

    /** One outcome of one harness, summed over every configuration that ran it. */
    static final class Outcome {
        final String result;
        final String expect;
        final String description;
        long samples;

        Outcome(String result, String expect, String description) {
            this.result = result;
            this.expect = expect;
            this.description = description;
        }
    }

    /** One harness: the statuses it got and its outcomes. */
    static final class Harness {
        final String name;
        final Map<String, Integer> statuses = new TreeMap<>();
        final Map<String, Outcome> outcomes = new LinkedHashMap<>();
        int configurations;

        Harness(String name) {
            this.name = name;
        }

        boolean passed() {
            return statuses.keySet().stream().allMatch("OK"::equals) && forbiddenSamples() == 0;
        }

        long forbiddenSamples() {
            return outcomes.values().stream().filter(o -> o.expect.equals("Forbidden") || o.expect.equals("Unknown"))
                    .mapToLong(o -> o.samples).sum();
        }

        long interestingSamples() {
            return outcomes.values().stream().filter(o -> o.expect.equals("Interesting")).mapToLong(o -> o.samples).sum();
        }

        long totalSamples() {
            return outcomes.values().stream().mapToLong(o -> o.samples).sum();
        }
    }

    private final Map<String, Harness> harnesses = new TreeMap<>();
    private final Map<String, Integer> closingCounts = new LinkedHashMap<>();
    private int[] lastProgress;
    private boolean inRunResults;
    private Harness current;

    /** Feeds one line of jcstress's standard output. */
    void accept(String line) {
        Matcher progress = PROGRESS.matcher(line);
        if (progress.find()) {
            lastProgress = new int[5];
            for (int i = 0; i < 5; i++) {
                lastProgress[i] = Integer.parseInt(progress.group(i + 1));
            }
            current = null;
            return;
        }
        if (line.startsWith("RUN RESULTS:")) {
            inRunResults = true;
            current = null;
            return;
        }
        if (inRunResults) {
            Matcher section = SECTION.matcher(line);
            if (section.matches()) {
                closingCounts.put(section.group(1), section.group(2) == null ? 0 : Integer.parseInt(section.group(2)));
            }
            // The closing section repeats tables already counted per configuration.
            return;
        }
        Matcher status = STATUS.matcher(line);
        if (status.matches()) {
            current = harnesses.computeIfAbsent(status.group(2), Harness::new);
            current.statuses.merge(status.group(1).trim(), 1, Integer::sum);
            current.configurations++;
            return;
        }
        if (current != null) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                String result = row.group(1).trim();
                Outcome o = current.outcomes.computeIfAbsent(result,
                        r -> new Outcome(r, row.group(4), row.group(5).trim()));
                o.samples += Long.parseLong(row.group(2).replace(",", ""));
            }
        }
    }

    Map<String, Harness> harnesses() {
        return Collections.unmodifiableMap(harnesses);
    }

    boolean sawRunResults() {
        return inRunResults;
    }

    /** The closing section's count for {@code "Failed"}, {@code "Error"}, ...; -1 if it was not printed. */
    int closingCount(String section) {
        return closingCounts.getOrDefault(section, -1);
    }

    /** planned, passed, failed, soft errors, hard errors from the last progress line; null if none was printed. */
    int[] lastProgress() {
        return lastProgress;
    }

    /** Names of harnesses that saw a forbidden outcome or ended in a status other than OK. */
    List<String> failures() {
        List<String> out = new ArrayList<>();
        for (Harness h : harnesses.values()) {
            if (!h.passed()) {
                out.add(h.name + " " + h.statuses + ", forbidden samples: " + h.forbiddenSamples());
            }
        }
        return out;
    }
}
