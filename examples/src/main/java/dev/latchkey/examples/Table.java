package dev.latchkey.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with columns sized to their content.
 */
public final class Table {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = List.of(header);
    }

    /** Adds a row; it must have one cell per column. */
    public Table row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("expected " + header.size() + " cells, got " + cells.length);
        }
        rows.add(List.of(cells));
        return this;
    }

    /** The per-scenario table: expected, actual, violations, rejected, elapsed, verdict. */
    public static Table forScenario(ScenarioReport report) {
        Table t = new Table("variant", "expected", "actual", report.violationLabel(), "rejected", "elapsed", "verdict");
        for (VariantResult r : report.rows()) {
            Outcome o = r.outcome();
            t.row((r.broken() ? "BROKEN: " : "fixed:  ") + r.label(), o.expected(), o.actual(),
                    Long.toString(o.violations()), Long.toString(o.rejected()), millis(r.elapsed()), r.verdict());
        }
        return t;
    }

    /** Formats a duration as whole milliseconds. */
    public static String millis(Duration d) {
        return d.toMillis() + " ms";
    }

    /** Prints the table, indented by three spaces. */
    public void print(PrintStream out) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        out.println(line(header, width));
        StringBuilder rule = new StringBuilder("   ");
        for (int i = 0; i < width.length; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
        }
        out.println(rule);
        rows.forEach(r -> out.println(line(r, width)));
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder("   ");
        for (int i = 0; i < width.length; i++) {
            sb.append(i == 0 ? "" : " | ");
            String c = cells.get(i);
            sb.append(c).append(" ".repeat(width[i] - c.length()));
        }
        return sb.toString().stripTrailing();
    }
}
