package dev.latchkey.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts server processes that never outlive the test JVM.
 *
 * <p>Two mechanisms, because either alone leaks: a shutdown hook kills every live child when the JVM
 * exits normally, and a tiny {@code sh} watchdog per child polls the JVM's pid once a second and
 * SIGKILLs the child when the JVM is gone. The watchdog is what cleans up after a SIGKILL of the JVM
 * (a Surefire fork timeout), when no hook runs. The same hook then deletes the working directories
 * registered with {@link #deleteAtExit}, so a server shared until the JVM ends leaves none behind.
 */
public final class Processes {

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final Map<Process, Process> WATCHDOGS = new ConcurrentHashMap<>();
  private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

  static {
    Thread hook = new Thread(Processes::killAll, "latchkey-testkit-reaper");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  private Processes() {}

  /**
   * Starts {@code command} with its output appended to {@code log}, and a watchdog that kills it when
   * this JVM dies.
   */
  public static Process start(List<String> command, Path workDir, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    Process process = builder.start();
    LIVE.add(process);
    try {
      WATCHDOGS.put(process, startWatchdog(process.pid()));
    } catch (IOException | RuntimeException e) {
      kill(process);
      throw e;
    }
    return process;
  }

  private static Process startWatchdog(long childPid) throws IOException {
    long jvmPid = ProcessHandle.current().pid();
    // Exits quietly once the child is gone; SIGKILLs it once the JVM is gone.
    String script = "while kill -0 " + jvmPid + " 2>/dev/null; do "
        + "kill -0 " + childPid + " 2>/dev/null || exit 0; sleep 1; done; "
        + "kill -9 " + childPid + " 2>/dev/null";
    return new ProcessBuilder("sh", "-c", script)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /** Sends SIGKILL to {@code process} and its watchdog, and waits until the process is gone. */
  public static void kill(Process process) {
    Process watchdog = WATCHDOGS.remove(process);
    if (watchdog != null) {
      watchdog.destroyForcibly();
    }
    process.destroyForcibly();
    awaitExit(process, 10);
    LIVE.remove(process);
  }

  /**
   * Asks {@code process} to stop with SIGTERM, waits a while, then falls back to SIGKILL. A process
   * stopped by SIGSTOP is continued first, or it could not act on SIGTERM.
   */
  public static void terminate(Process process) {
    if (process.isAlive()) {
      signal(process.pid(), "CONT");
      process.destroy();
      awaitExit(process, 5);
    }
    kill(process);
  }

  /** Sends a signal by name ({@code STOP}, {@code CONT}, {@code KILL}) through {@code kill(1)}. */
  public static void signal(long pid, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        throw new IllegalStateException("kill -" + signal + " " + pid + " did not finish");
      }
      if (kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill -" + signal + " " + pid, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending " + signal + " to " + pid, e);
    }
  }

  /** The absolute path of {@code name} on {@code path} (a PATH value), or null when absent. */
  public static Path which(String name, String path) {
    if (path == null) {
      return null;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    return null;
  }

  private static void awaitExit(Process process, int seconds) {
    boolean interrupted = false;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (process.isAlive() && System.nanoTime() < deadline) {
        try {
          process.waitFor(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Deletes {@code dir} and everything in it when the JVM exits normally, after its processes are
   * killed; until then {@link #deleteNow} deletes it and forgets it.
   */
  public static void deleteAtExit(Path dir) {
    DIRECTORIES.add(dir);
  }

  /** Deletes {@code dir} and everything in it now (best effort), and forgets it. */
  public static void deleteNow(Path dir) {
    deleteRecursively(dir);
    DIRECTORIES.remove(dir);
  }

  private static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // A leftover temp directory is harmless; the process is what matters.
    }
  }

  private static void killAll() {
    for (Process watchdog : new ArrayList<>(WATCHDOGS.values())) {
      watchdog.destroyForcibly();
    }
    List<Process> live = new ArrayList<>(LIVE);
    for (Process process : live) {
      process.destroyForcibly();
    }
    for (Process process : live) {
      awaitExit(process, 2);
    }
    for (Path dir : new ArrayList<>(DIRECTORIES)) {
      deleteRecursively(dir);
    }
  }
}
