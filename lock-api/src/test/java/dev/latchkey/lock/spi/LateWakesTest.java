package dev.latchkey.lock.spi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LateWakesTest {

    private final List<String> woken = new CopyOnWriteArrayList<>();

    @Test
    void aReleaseNotTakenBack_wakesItsNameOnce() throws InterruptedException {
        try (LateWakes wakes = new LateWakes("test-late-wakes", TimeUnit.MILLISECONDS.toNanos(1), woken::add)) {
            wakes.released("a");
            await().atMost(Duration.ofSeconds(10)).until(() -> woken.contains("a"));
            Thread.sleep(50);
            assertThat(woken).containsExactly("a");
        }
    }

    @Test
    void aReleaseTakenBackWithinTheDelay_wakesNothing_whileALaterOneNotTakenBackDoes() throws InterruptedException {
        try (LateWakes wakes = new LateWakes("test-late-wakes", TimeUnit.MILLISECONDS.toNanos(300), woken::add)) {
            for (int i = 0; i < 100; i++) {
                wakes.released("hot");
                wakes.acquired("hot");
            }
            wakes.released("cold");
            await().atMost(Duration.ofSeconds(10)).until(() -> woken.contains("cold"));
            Thread.sleep(400); // past every delay of "hot"
            assertThat(woken).containsExactly("cold");

            wakes.released("hot"); // after the thread went idle: it must be woken up again
            await().atMost(Duration.ofSeconds(10)).until(() -> woken.contains("hot"));
        }
    }

    @Test
    void afterClose_nothingIsWoken() throws InterruptedException {
        LateWakes wakes = new LateWakes("test-late-wakes", TimeUnit.MILLISECONDS.toNanos(100), woken::add);
        wakes.released("a");
        wakes.close();
        wakes.released("b");
        Thread.sleep(300);
        assertThat(woken).isEmpty();
    }
}
