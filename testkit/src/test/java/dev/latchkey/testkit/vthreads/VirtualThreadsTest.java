package dev.latchkey.testkit.vthreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What {@link VirtualThreads} counts as library code for the pinning check, and its input checks;
 * none of it needs virtual threads, so it runs on every JDK.
 */
class VirtualThreadsTest {

    @Test
    void isLibraryClass_libraryTypes_areLibrary() {
        assertThat(VirtualThreads.isLibraryClass("dev.latchkey.lock.LocalLockProvider")).isTrue();
        assertThat(VirtualThreads.isLibraryClass("dev.latchkey.lock.redis.internal.LettuceConnector")).isTrue();
    }

    @Test
    void isLibraryClass_testKitTestClassesAndOtherCode_areNotLibrary() {
        assertThat(VirtualThreads.isLibraryClass("dev.latchkey.testkit.vthreads.VirtualThreads"))
                .as("the test kit runs inside the recorded threads but is not under test").isFalse();
        assertThat(VirtualThreads.isLibraryClass("dev.latchkey.lock.redis.RedisLockVirtualThreadsTest$1")).isFalse();
        assertThat(VirtualThreads.isLibraryClass("java.util.concurrent.locks.LockSupport")).isFalse();
        assertThat(VirtualThreads.isLibraryClass("io.lettuce.core.RedisClient")).isFalse();
    }

    @Test
    void runAll_badInput_isRejectedBeforeAnyThreadStarts() {
        assertThatThrownBy(() -> VirtualThreads.runAll(-1, Duration.ofSeconds(1), i -> () -> i))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> VirtualThreads.runAll(1, Duration.ZERO, i -> () -> i))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> VirtualThreads.runAll(1, null, i -> () -> i))
                .isInstanceOf(NullPointerException.class).hasMessage("bound");
        assertThatThrownBy(() -> VirtualThreads.<Integer>runAll(1, Duration.ofSeconds(1), null))
                .isInstanceOf(NullPointerException.class).hasMessage("tasks");
    }

    @Test
    void pinnedParksInLibrary_nullBody_isRejected() {
        assertThatThrownBy(() -> VirtualThreads.pinnedParksInLibrary(null))
                .isInstanceOf(NullPointerException.class).hasMessage("body");
    }
}
