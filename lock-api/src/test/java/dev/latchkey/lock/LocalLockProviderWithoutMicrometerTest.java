package dev.latchkey.lock;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Micrometer is optional: with only lock-api, slf4j-api and plain application code on the class
 * path, the local provider and its builder (whose {@code meterRegistry} setter names a Micrometer
 * type that is then never resolved) must work.
 */
class LocalLockProviderWithoutMicrometerTest {

    @Test
    void localProvider_withoutMicrometerOnTheClassPath_locksAndUnlocks() throws Exception {
        URL lockApi = LocalLockProvider.class.getProtectionDomain().getCodeSource().getLocation();
        URL probe = NoMicrometerProbe.class.getProtectionDomain().getCodeSource().getLocation();
        URL slf4j = LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {lockApi, probe, slf4j},
                ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> loader.loadClass("io.micrometer.core.instrument.MeterRegistry"))
                    .as("this test needs a class path without Micrometer")
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> probeClass = loader.loadClass(NoMicrometerProbe.class.getName());
            assertThat(probeClass.getClassLoader()).isSameAs(loader);
            @SuppressWarnings("unchecked")
            Supplier<String> run = (Supplier<String>) probeClass.getDeclaredConstructor().newInstance();
            assertThat(run.get()).isEqualTo("ok");
        }
    }
}
