package dev.latchkey.jcstress.gate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate's reading of jcstress 0.16 console output, on excerpts of real runs. */
class ConsoleReportTest {

    private static final String OK_BLOCK = """
            .......... [OK] dev.latchkey.jcstress.seeds.StockOversell_01_Unsynchronized

              JVM args: [-XX:+UseBiasedLocking, -XX:+UseCompressedOops]
              Fork: #1

                      RESULT  SAMPLES     FREQ       EXPECT  DESCRIPTION
              false, true, 0  159,087   32.50%   Acceptable  One customer got the last unit.
              true, false, 0  270,092   55.18%   Acceptable  One customer got the last unit.
              true, true, -1   55,362   11.31%  Interesting  Oversold: both passed the check, stock went negative.
               true, true, 0    4,950    1.01%  Interesting  Oversold and a lost update: both sold, one decrement vani...

            (Results: 2 planned; 1 passed, 0 failed, 0 soft errs, 0 hard errs)
            """;

    private static final String FAILED_BLOCK = """
            .......... [FAILED] dev.latchkey.jcstress.broken.StockOversell_Broken_UnsynchronizedMustNotOversell

                      RESULT  SAMPLES     FREQ       EXPECT  DESCRIPTION
              true, false, 0  200,000   52.08%   Acceptable  One customer got the last unit.
              true, true, -1  104,229   47.92%    Forbidden  Oversold: the counter has no mutual exclusion.

            (Results: 2 planned; 1 passed, 1 failed, 0 soft errs, 0 hard errs)
            """;

    private static final String CLOSING = """
            RUN RESULTS:
              Interesting tests: 1 matching test results.

            .......... [OK] dev.latchkey.jcstress.seeds.StockOversell_01_Unsynchronized

              Results across all configurations:

                      RESULT     SAMPLES     FREQ       EXPECT  DESCRIPTION
              true, true, -1  14,856,338   51.23%  Interesting  Oversold: both passed the check, stock went negative.

              Failed tests: 1 matching test results.

              Error tests: No matches.

              All remaining tests: No matches.
            """;

    private static ConsoleReport read(String... parts) {
        ConsoleReport report = new ConsoleReport();
        for (String part : parts) {
            part.lines().forEach(report::accept);
        }
        return report;
    }

    @Test
    void okBlock_sumsOutcomesAndPasses() {
        ConsoleReport report = read(OK_BLOCK, CLOSING.replace("Failed tests: 1 matching test results.", "Failed tests: No matches."));

        ConsoleReport.Harness h = report.harnesses().get("dev.latchkey.jcstress.seeds.StockOversell_01_Unsynchronized");
        assertThat(h.passed()).isTrue();
        assertThat(h.configurations).isEqualTo(1);
        assertThat(h.totalSamples()).isEqualTo(159_087 + 270_092 + 55_362 + 4_950);
        assertThat(h.interestingSamples()).isEqualTo(55_362 + 4_950);
        assertThat(report.failures()).isEmpty();
        assertThat(report.sawRunResults()).isTrue();
        assertThat(report.closingCount("Failed")).isZero();
    }

    @Test
    void closingSection_isNotCountedTwice() {
        ConsoleReport report = read(OK_BLOCK, CLOSING);

        ConsoleReport.Harness h = report.harnesses().get("dev.latchkey.jcstress.seeds.StockOversell_01_Unsynchronized");
        assertThat(h.configurations).isEqualTo(1);
        assertThat(h.interestingSamples()).isEqualTo(55_362 + 4_950);
    }

    @Test
    void forbiddenRow_failsTheHarness() {
        ConsoleReport report = read(OK_BLOCK, FAILED_BLOCK, CLOSING);

        List<String> failures = report.failures();
        assertThat(failures).singleElement().asString()
                .contains("StockOversell_Broken_UnsynchronizedMustNotOversell", "FAILED", "104229");
        assertThat(report.closingCount("Failed")).isEqualTo(1);
        assertThat(report.lastProgress()).containsExactly(2, 1, 1, 0, 0);
    }

    @Test
    void forbiddenRowUnderOkStatus_stillFails() {
        ConsoleReport report = read(FAILED_BLOCK.replace("[FAILED]", "[OK]"));

        assertThat(report.failures()).hasSize(1);
    }

    @Test
    void noRunResults_isReported() {
        ConsoleReport report = read(OK_BLOCK);

        assertThat(report.sawRunResults()).isFalse();
        assertThat(report.closingCount("Failed")).isEqualTo(-1);
    }

    @Test
    void compiledTests_defaultFilterSelectsEveryHarnessButTheBrokenGroup() {
        List<String> selected = CompiledTests.matching("^dev\\.latchkey\\.jcstress\\.(?!broken\\.)");

        assertThat(selected).hasSizeGreaterThanOrEqualTo(12)
                .noneMatch(name -> name.contains(".broken."))
                .contains("dev.latchkey.jcstress.lock.LocalLock_07_EvictionVsAcquire");
        assertThat(CompiledTests.matching("dev\\.latchkey\\.jcstress\\.broken\\."))
                .containsExactly("dev.latchkey.jcstress.broken.StockOversell_Broken_UnsynchronizedMustNotOversell");
        assertThat(CompiledTests.matching("no-such-harness")).isEmpty();
    }
}
