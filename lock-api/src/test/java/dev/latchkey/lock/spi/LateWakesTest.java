package dev.latchkey.lock.spi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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
    void aProviderTakingItsLockBackInALoop_unparksTheTimerThreadOnlyToStartIt() throws InterruptedException {
        try (LateWakes wakes = new LateWakes("test-late-wakes", TimeUnit.MILLISECONDS.toNanos(20), woken::add)) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            int loops = 0;
            while (System.nanoTime() - end < 0) {
                wakes.released("hot");
                LockSupport.parkNanos(200_000);
                wakes.acquired("hot");
                LockSupport.parkNanos(200_000);
                loops++;
            }
            // The thread, looking every delay while releases keep coming, never parks for good in
            // between, so no release after the first has to unpark it.
            assertThat(loops).isGreaterThan(100);
            assertThat(wakes.unparks()).isEqualTo(1);
        }
    }

    @Test
    void aReleaseWhileTheTimerThreadLingers_isWokenAfterTheDelay() throws InterruptedException {
        try (LateWakes wakes = new LateWakes("test-late-wakes", TimeUnit.MILLISECONDS.toNanos(50), woken::add)) {
            wakes.released("a");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> woken.contains("a"));
            wakes.released("b"); // within the linger: no unpark, the thread's next look finds it
            await().atMost(Duration.ofSeconds(10)).until(() -> woken.contains("b"));
            assertThat(woken).containsExactly("a", "b");
            assertThat(wakes.unparks()).isEqualTo(1);
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
