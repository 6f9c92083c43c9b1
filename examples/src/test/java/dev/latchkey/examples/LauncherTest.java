package dev.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The launcher as a user meets it: its exit codes and what it prints. */
class LauncherTest {

    private String output;

    private int run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            status = Examples.run(args, out);
        }
        output = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        return status;
    }

    @Test
    void inventory_onEmbeddedDefault_saysSo_showsTheRace_andTheFixesHold() throws Exception {
        assertThat(run("inventory")).isZero();
        assertThat(output)
                .contains("locks: in-JVM (LocalLockProvider)", "database: embedded H2", "embedded default")
                .contains("BROKEN: check-then-act", "race seen (try")
                .doesNotContain("INVARIANT BROKEN")
                .contains("| expected", "| actual", "| oversold", "| rejected", "| elapsed");
    }

    @Test
    void redisStock_withoutRedis_saysItNeedsRedis_andExitsWithUsageError() throws Exception {
        assertThat(run("redis-stock")).isEqualTo(2);
        assertThat(output).contains("SKIPPED: needs Redis", "--redis redis://");
    }

    @Test
    void unknownScenario_exitsWithUsageError_listingTheScenarios() throws Exception {
        assertThat(run("no-such-scenario")).isEqualTo(2);
        assertThat(output).contains("unknown scenario or flag: no-such-scenario");
        Scenarios.all().forEach(s -> assertThat(output).contains(s.name()));
    }

    @Test
    void badRedisUri_isRefusedBeforeAnythingRuns() throws Exception {
        assertThat(run("inventory", "--redis", "localhost:6379")).isEqualTo(2);
        assertThat(output).contains("a Redis URI starts with redis://");
    }

    @Test
    void twoScenarios_endWithASummaryTable() throws Exception {
        assertThat(run("wallet", "inventory-service")).isZero();
        assertThat(output).contains("== summary", "| broken variant", "wallet", "inventory-service");
    }
}
