package dev.latchkey.jcstress.gate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs jcstress in a child JVM and turns its report into a pass or a fail that a build can trust.
 *
 * <p>jcstress 0.16 exits 0 even when a harness saw a forbidden outcome or when the filter matched
 * nothing, so this gate never looks at its exit code to pass. It reads the console output
 * ({@link ConsoleReport}) and fails (exit 1) when:
 * <ul>
 *   <li>any harness saw a {@code FORBIDDEN} (or unknown) outcome, or ended in a status other
 *       than {@code OK} (failed, error, timeout) in any configuration;</li>
 *   <li>the filter selects fewer compiled harnesses than {@code --min-tests}, or a selected
 *       harness produced no result (for example, skipped for want of CPUs);</li>
 *   <li>jcstress did not reach its closing {@code RUN RESULTS} section, its closing counts show
 *       failed or errored tests, or it ran longer than {@code --timeout-minutes};</li>
 *   <li>a selected harness matching {@code --require-interesting} (those that reproduce a known
 *       race) saw no interesting outcome.</li>
 * </ul>
 *
 * <p>Usage (the build calls it from {@code jcstress/pom.xml} at the {@code verify} phase):
 * <pre>{@code
 * java -cp jcstress.jar dev.latchkey.jcstress.gate.JcstressGate [--min-tests N] [--log FILE]
 *      [--summary FILE.md] [--title TEXT] [--timeout-minutes M] [--jvm-args "ARGS"] [--require-interesting REGEX]
 *      -- <jcstress options>
 * }</pre>
 * Everything after {@code --} goes to jcstress unchanged, plus {@code -v} (the gate reads every
 * harness's outcome table, which jcstress prints only when verbose); {@code --jvm-args} becomes jcstress's
 * {@code -jvmArgs} (one JVM configuration) unless it is blank or {@code all} (every configuration
 * jcstress probes).
 */
public final class JcstressGate {

    private JcstressGate() {
    }

    public static void main(String[] args) throws Exception {
        int minTests = 1;
        Path log = null;
        Path summary = null;
        long timeoutMinutes = 30;
        String jvmArgs = "";
        String requireInteresting = null;
        String title = "jcstress run summary";
        List<String> jcstressArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--min-tests" -> minTests = Integer.parseInt(args[++i]);
                case "--log" -> log = Path.of(args[++i]);
                case "--summary" -> summary = Path.of(args[++i]);
                case "--title" -> title = args[++i];
                case "--timeout-minutes" -> timeoutMinutes = Long.parseLong(args[++i]);
                // Maven drops an empty argument: a blank value of these two may arrive as nothing at all.
                case "--require-interesting" -> {
                    if (hasValue(args, i)) {
                        requireInteresting = args[++i];
                    }
                }
                case "--jvm-args" -> {
                    if (hasValue(args, i)) {
                        jvmArgs = args[++i];
                    }
                }
                case "--" -> {
                    jcstressArgs.addAll(List.of(args).subList(i + 1, args.length));
                    i = args.length;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options before -- are "
                        + "--min-tests, --log, --summary, --title, --timeout-minutes, --jvm-args, --require-interesting");
            }
        }
        if (!jcstressArgs.contains("-v") && !jcstressArgs.contains("-vv") && !jcstressArgs.contains("-vvv")) {
            // Without -v jcstress prints the outcome tables of interesting and failed results only.
            jcstressArgs.add("-v");
        }
        if (!jvmArgs.isBlank() && !jvmArgs.equals("all")) {
            jcstressArgs.add("-jvmArgs");
            jcstressArgs.add(jvmArgs.trim());
        }
        String filter = valueOf(jcstressArgs, "-t", ".*");
        List<String> expected = CompiledTests.matching(filter);

        if (expected.size() < minTests) {
            // Nothing worth running: fail before jcstress spends its half minute probing the machine.
            System.out.println("jcstress gate: FAILED:");
            System.out.println("  - the filter '" + filter + "' selects " + expected.size() + " compiled harnesses, "
                    + "fewer than the " + minTests + " required (--min-tests)");
            System.exit(1);
        }
        long start = System.nanoTime();
        ConsoleReport report = new ConsoleReport();
        int exit = runJcstress(jcstressArgs, report, log, timeoutMinutes);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        List<String> problems = verdict(report, expected, minTests, filter, exit, timeoutMinutes);
        if (requireInteresting != null && !requireInteresting.isBlank()) {
            problems.addAll(unreproduced(report, expected, requireInteresting));
        }
        printSummary(report, expected, took);
        if (summary != null) {
            SummaryWriter.write(summary, title, report, expected, jcstressArgs, took, problems);
        }
        if (problems.isEmpty()) {
            System.out.printf("jcstress gate: PASSED: %d harnesses, no forbidden outcome, in %s%n",
                    expected.size(), format(took));
            return;
        }
        System.out.println("jcstress gate: FAILED:");
        problems.forEach(p -> System.out.println("  - " + p));
        System.exit(1);
    }

    private static int runJcstress(List<String> jcstressArgs, ConsoleReport report, Path log, long timeoutMinutes)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.openjdk.jcstress.Main");
        command.addAll(jcstressArgs);
        System.out.println("jcstress gate: running " + String.join(" ", command));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> pump(process, report, log), "jcstress-output");
        reader.start();
        if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            // jcstress forks a JVM per test configuration: end those first, then jcstress itself.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return Integer.MIN_VALUE;
        }
        reader.join();
        return process.exitValue();
    }

    private static void pump(Process process, ConsoleReport report, Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = log == null ? null : new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                System.out.println(line);
                if (out != null) {
                    out.println(line);
                }
                report.accept(line);
            }
        } catch (IOException e) {
            System.out.println("jcstress gate: lost jcstress's output: " + e);
        }
    }

    private static List<String> verdict(ConsoleReport report, List<String> expected, int minTests, String filter,
                                        int exit, long timeoutMinutes) {
        List<String> problems = new ArrayList<>();
        if (exit == Integer.MIN_VALUE) {
            problems.add("jcstress ran longer than " + timeoutMinutes + " minutes and was stopped");
        } else if (exit != 0) {
            problems.add("jcstress exited with " + exit);
        }
        if (expected.size() < minTests) {
            problems.add("the filter '" + filter + "' selects " + expected.size() + " compiled harnesses, fewer than the "
                    + minTests + " required (--min-tests)");
        }
        for (String name : expected) {
            ConsoleReport.Harness h = report.harnesses().get(name);
            if (h == null || h.configurations == 0 || h.totalSamples() == 0) {
                problems.add(name + " produced no result (not run, skipped, or no samples)");
            }
        }
        problems.addAll(report.failures());
        if (!report.sawRunResults()) {
            problems.add("jcstress never printed its RUN RESULTS section: the run did not complete");
        }
        if (report.closingCount("Failed") > 0) {
            problems.add("jcstress's closing section counts " + report.closingCount("Failed") + " failed test results");
        }
        if (report.closingCount("Error") > 0) {
            problems.add("jcstress's closing section counts " + report.closingCount("Error") + " error test results");
        }
        int[] p = report.lastProgress();
        if (p == null) {
            problems.add("jcstress printed no progress line: nothing ran");
        } else if (p[2] + p[3] + p[4] > 0 || p[1] < p[0]) {
            problems.add(String.format("jcstress's last progress line: %d planned; %d passed, %d failed, %d soft errs, "
                    + "%d hard errs", p[0], p[1], p[2], p[3], p[4]));
        }
        return problems;
    }

    /**
     * The harnesses that reproduce a known race (the seeds' broken counters) must show it: a pass
     * in which they saw no interesting outcome proves nothing about the harness machinery.
     */
    private static List<String> unreproduced(ConsoleReport report, List<String> expected, String regex) {
        Pattern pattern = Pattern.compile(regex);
        List<String> problems = new ArrayList<>();
        for (String name : expected) {
            ConsoleReport.Harness h = report.harnesses().get(name);
            if (pattern.matcher(name).find() && h != null && h.interestingSamples() == 0) {
                problems.add(name + " did not reproduce its race: no interesting outcome in " + h.totalSamples()
                        + " samples");
            }
        }
        return problems;
    }

    private static void printSummary(ConsoleReport report, List<String> expected, Duration took) {
        System.out.println();
        System.out.println("jcstress gate: summary (" + format(took) + ")");
        for (String name : expected) {
            ConsoleReport.Harness h = report.harnesses().get(name);
            if (h == null) {
                System.out.printf("  %-8s %s%n", "MISSING", name);
                continue;
            }
            System.out.printf("  %-8s %s  configs=%d samples=%,d interesting=%,d forbidden=%,d%n",
                    h.passed() ? "OK" : "FAILED", name, h.configurations, h.totalSamples(), h.interestingSamples(),
                    h.forbiddenSamples());
        }
    }

    static String format(Duration d) {
        return d.toMinutes() + "m" + String.format("%02d", d.toSecondsPart()) + "s";
    }

    private static boolean hasValue(String[] args, int option) {
        return option + 1 < args.length && !args[option + 1].startsWith("--");
    }

    private static String valueOf(List<String> args, String option, String fallback) {
        int i = args.indexOf(option);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
    }
}
