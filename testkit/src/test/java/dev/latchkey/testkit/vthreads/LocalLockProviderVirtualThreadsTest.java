package dev.latchkey.testkit.vthreads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.lock.LocalLockProvider;
import dev.latchkey.lock.LockProvider;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * The in-JVM lock used from virtual threads ({@link VirtualThreadsLockContract}); the providers of
 * one test share one lock table, like processes sharing a server.
 */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need JDK 21 or later")
class LocalLockProviderVirtualThreadsTest extends VirtualThreadsLockContract {

    private LocalLockProvider first;

    @Override
    protected LockProvider newProvider() {
        if (first == null) { // a new test instance per test method, so a new table per test
            first = new LocalLockProvider();
            return first;
        }
        return LocalLockProvider.builder().sharing(first).build();
    }

    /**
     * The contract's pinning check can fail: a virtual thread that sleeps inside a class
     * initializer is pinned on every JDK from 21 on, and the recording reports it.
     */
    @Test
    void pinnedParks_parkInsideAClassInitializer_isReported() throws Exception {
        List<String> pinned = VirtualThreads.pinnedParks(type -> type.equals(SlowToInitialize.class.getName()),
                () -> VirtualThreads.runAll(1, BOUND, i -> () -> SlowToInitialize.VALUE));

        assertThat(pinned).as("the recording saw the pinned park").isNotEmpty();
    }

    /** Sleeps while being initialized: its first user parks pinned to its carrier. */
    private static final class SlowToInitialize {
        static final int VALUE = initialize();

        private static int initialize() {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        }
    }
}
