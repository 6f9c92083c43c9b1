package dev.latchkey.jcstress.gate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a run's summary as Markdown: date, JDK, machine, the jcstress options, and each
 * harness with its outcome counts. The full pass commits this file under {@code docs/}.
 */
final class SummaryWriter {

    private SummaryWriter() {
    }

    static void write(Path file, String title, ConsoleReport report, List<String> expected, List<String> jcstressArgs,
                      Duration took, List<String> problems) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append("Written by `dev.latchkey.jcstress.gate.JcstressGate`; the README's jcstress section gives the commands. ")
                .append("Samples are summed over every JVM configuration and fork of the run; ")
                .append("`Interesting` rows are races the harness expects to see (the seeds' broken counters), ")
                .append("`Forbidden` rows would fail the build.\n\n");
        md.append("| | |\n| --- | --- |\n");
        row(md, "date (UTC)", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
        row(md, "JDK", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        row(md, "machine", machine());
        row(md, "jcstress options", "`" + String.join(" ", jcstressArgs.stream().map(SummaryWriter::relative).toList()) + "`");
        row(md, "duration", JcstressGate.format(took));
        row(md, "verdict", problems.isEmpty() ? "PASSED: no forbidden outcome in " + expected.size() + " harnesses"
                : "FAILED: " + String.join("; ", problems));
        md.append('\n');
        md.append("| harness | status | configs | outcome | expect | samples |\n");
        md.append("| --- | --- | ---: | --- | --- | ---: |\n");
        for (String name : expected) {
            ConsoleReport.Harness h = report.harnesses().get(name);
            String shortName = name.substring("dev.latchkey.jcstress.".length());
            if (h == null) {
                md.append("| ").append(shortName).append(" | MISSING | 0 | | | |\n");
                continue;
            }
            boolean first = true;
            for (ConsoleReport.Outcome o : h.outcomes.values()) {
                md.append("| ").append(first ? shortName : "")
                        .append(" | ").append(first ? (h.passed() ? "OK" : "FAILED") : "")
                        .append(" | ").append(first ? String.valueOf(h.configurations) : "")
                        .append(" | `").append(o.result).append("` | ").append(o.expect)
                        .append(" | ").append(String.format("%,d", o.samples)).append(" |\n");
                first = false;
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
        System.out.println("jcstress gate: summary written to " + file.toAbsolutePath());
    }

    /** An absolute path below the module reads as a path from the repository root; anything else as is. */
    private static String relative(String arg) {
        int at = arg.indexOf("/jcstress/target/");
        return arg.startsWith("/") && at >= 0 ? arg.substring(at + 1) : arg;
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
    }

    private static String machine() {
        String cpu = firstValue("/proc/cpuinfo", "model name");
        String mem = firstValue("/proc/meminfo", "MemTotal");
        return System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs" + (cpu == null ? "" : " (" + cpu + ")")
                + (mem == null ? "" : ", " + mem + " memory");
    }

    private static String firstValue(String file, String key) {
        try (Stream<String> lines = Files.lines(Path.of(file))) {
            return lines.filter(l -> l.startsWith(key)).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
