package dev.latchkey.lock.redis;

import dev.latchkey.testkit.redis.RedisServers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Lettuce and Jedis are optional: the provider works in a JVM that has only one of them. */
class OptionalClientLibrariesTest {

    @ParameterizedTest(name = "{0} without {1}")
    @CsvSource({"lettuce, /redis/clients/jedis/", "jedis, /io/lettuce/"})
    void provider_withOnlyOneClientLibraryOnTheClassPath_works(String client, String removed) throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.replace(File.separatorChar, '/').contains(removed))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).as("the class path without %s", removed).doesNotContain(removed);
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-cp", classPath, OneClientMain.class.getName(), client,
                RedisServers.sharedUri(), "latchkey-test:" + UUID.randomUUID() + ":")
                .redirectErrorStream(true).start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended).as("the %s-only JVM ended", client).isTrue();
        assertThat(output).as("output of a JVM with %s but without %s", client, removed).contains("OK ");
        assertThat(p.exitValue()).isZero();
    }
}
