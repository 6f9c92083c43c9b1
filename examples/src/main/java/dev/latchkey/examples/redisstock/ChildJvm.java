package dev.latchkey.examples.redisstock;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a {@code main} class in a separate JVM with the same java binary and class path as this
 * one: a real OS process, not a thread, so the race is between processes as in the seed.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    static Process start(Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        // Small and quick to start: the child does a handful of commands and exits.
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Waits for the process and returns its result line, or fails with everything it printed. */
    static String awaitLine(Process p) throws IOException, InterruptedException {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("a child process did not finish within 120 s");
        }
        String out = output(p);
        return out.lines().filter(l -> l.startsWith("SOLD") || l.startsWith("REJECTED")).findFirst()
                .orElseThrow(() -> new IOException("a child process exited " + p.exitValue() + " with: " + out));
    }

    static String output(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The class path this code was loaded from. Under {@code java -jar} or {@code java -cp} that is
     * {@code java.class.path}; under a launcher that builds its own class loader (such as
     * {@code exec:java}) it is that loader's URLs.
     */
    private static String classPath() {
        ClassLoader cl = ChildJvm.class.getClassLoader();
        if (cl instanceof URLClassLoader ucl && ucl != ClassLoader.getSystemClassLoader()) {
            List<String> entries = new ArrayList<>();
            for (URL url : ucl.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new IllegalStateException("cannot turn " + url + " into a class path entry", e);
                }
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }
}
