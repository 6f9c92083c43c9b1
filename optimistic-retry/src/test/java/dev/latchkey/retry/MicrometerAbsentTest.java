package dev.latchkey.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Micrometer is optional: with only this module and slf4j-api on the class path, policies build and retries run,
 * and no Micrometer class is ever needed.
 */
class MicrometerAbsentTest {

    @Test
    void retry_runsWithoutMicrometerOnTheClassPath() throws Exception {
        URL module = Retry.class.getProtectionDomain().getCodeSource().getLocation();
        URL slf4j = LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {module, slf4j}, ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> loader.loadClass("io.micrometer.core.instrument.MeterRegistry"))
                    .as("the isolated class path must really lack Micrometer")
                    .isInstanceOf(ClassNotFoundException.class);

            Class<?> policyClass = loader.loadClass(RetryPolicy.class.getName());
            Object builder = policyClass.getMethod("builder").invoke(null);
            Class<?> backoffClass = loader.loadClass(Backoff.class.getName());
            Object none = backoffClass.getMethod("none").invoke(null);
            builder.getClass().getMethod("backoff", backoffClass).invoke(builder, none);
            Object policy = builder.getClass().getMethod("build").invoke(builder);
            Class<?> retryClass = loader.loadClass(Retry.class.getName());
            Object retry = retryClass.getMethod("of", policyClass).invoke(null, policy);

            Class<?> conflictClass = loader.loadClass(ConcurrencyConflictException.class.getName());
            AtomicInteger calls = new AtomicInteger();
            Callable<String> flaky = () -> {
                if (calls.incrementAndGet() < 3) {
                    throw (RuntimeException) conflictClass.getConstructor(String.class).newInstance("conflict");
                }
                return "ok";
            };
            Object result = retryClass.getMethod("call", Callable.class).invoke(retry, flaky);
            assertThat(result).isEqualTo("ok");
            assertThat(calls).hasValue(3);
        }
    }
}
