package dev.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.examples.booking.BookingScenario;
import dev.latchkey.examples.http.DuplicateRequestsScenario;
import dev.latchkey.examples.inventory.InventoryScenario;
import dev.latchkey.examples.orders.OrdersScenario;
import dev.latchkey.examples.wallet.WalletScenario;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demonstrations are honest: the broken variants whose clients all meet in the
 * check-to-act window really break their invariant on the embedded default within the launcher's
 * tries. (The HashMap and saga races depend on thread timing and are shown, not asserted.)
 */
class BrokenVariantsRaceTest {

    private static Backends backends;

    @BeforeAll
    static void start() {
        backends = Backends.embedded();
    }

    @AfterAll
    static void stop() {
        backends.close();
    }

    static Stream<String> scenarios() {
        return Stream.of(new InventoryScenario(), new OrdersScenario(), new WalletScenario(),
                new BookingScenario(), new DuplicateRequestsScenario()).map(Scenario::name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void brokenVariant_racesWithinTheLaunchersTries(String name) throws Exception {
        Scenario scenario = Scenarios.all().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        ScenarioReport report = new ScenarioRunner(backends, Settings.DEFAULTS, System.out).run(scenario);
        assertThat(report.rows()).filteredOn(VariantResult::broken).isNotEmpty().allSatisfy(r ->
                assertThat(r.outcome().violations())
                        .as("%s / %s should show the race: %s", scenario.name(), r.label(), r.outcome().actual())
                        .isPositive());
        assertThat(report.fixesHeld()).isTrue();
    }
}
