package dev.latchkey.testkit.redis;

import dev.latchkey.testkit.internal.Ports;
import dev.latchkey.testkit.internal.Processes;
import dev.latchkey.testkit.internal.Resp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@code redis-server} process of its own, from the PATH, on a free loopback port, without
 * persistence ({@code --save "" --appendonly no}) and in its own temporary directory.
 *
 * <p>Fault tests use the handle to {@link #stop()}, {@link #kill()} (SIGKILL), {@link #pause()}
 * (SIGSTOP), {@link #resume()} (SIGCONT) and {@link #restart()} the server on the same port. The
 * process dies with the test JVM, also when the JVM itself is killed: see the class comment of the
 * kit's process registry. Not meant to be driven from several threads at once.
 *
 * <pre>{@code
 * try (PrivateRedis redis = PrivateRedis.start()) {
 *   RedisClient client = RedisClient.create(redis.uri());
 *   ...
 *   redis.pause();   // commands now time out
 *   redis.resume();
 * }
 * }</pre>
 */
public final class PrivateRedis implements AutoCloseable {

  private static final String HOST = "127.0.0.1";
  private static final int START_ATTEMPTS = 5;
  private static final long READY_TIMEOUT_MILLIS = 15_000;

  private final Path executable;
  private final Path dir;
  private final Path config;
  private final List<String> extraArgs;
  private final ReentrantLock lock = new ReentrantLock();
  private int port;
  private Process process;
  private boolean closed;

  private PrivateRedis(Path executable, Path dir, Path config, List<String> extraArgs) {
    this.executable = executable;
    this.dir = dir;
    this.config = config;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /**
   * Starts a private {@code redis-server} and returns once it answers PING.
   *
   * @throws IllegalStateException when {@code redis-server} is not on the PATH or does not start
   */
  public static PrivateRedis start() {
    return start(List.of());
  }

  /** Starts one with extra {@code redis-server} arguments (for example cluster settings). */
  static PrivateRedis start(List<String> extraArgs) {
    return start(null, extraArgs);
  }

  /**
   * Starts one whose configuration file holds {@code configText} (null: no file), followed by extra
   * arguments. The file is {@code redis.conf} in the server's own directory and stays writable, as a
   * sentinel needs: it rewrites its file with what it learns.
   */
  static PrivateRedis start(String configText, List<String> extraArgs) {
    Path executable = Processes.which("redis-server", System.getenv("PATH"));
    if (executable == null) {
      throw new IllegalStateException("redis-server is not on the PATH; install it "
          + "(apt-get install redis-server) or point tests at a server with LATCHKEY_REDIS_URL");
    }
    Path dir;
    try {
      dir = Files.createTempDirectory(directoryPrefix());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for redis-server", e);
    }
    Processes.deleteAtExit(dir); // a server kept until the JVM ends is never closed
    Path config = null;
    if (configText != null) {
      config = dir.resolve("redis.conf");
      try {
        Files.writeString(config, configText, StandardCharsets.UTF_8);
      } catch (IOException e) {
        Processes.deleteNow(dir);
        throw new UncheckedIOException("cannot write " + config, e);
      }
    }
    PrivateRedis redis = new PrivateRedis(executable, dir, config, extraArgs);
    IllegalStateException failure = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      // A free port can be taken by someone else before redis-server binds it: try another.
      redis.port = Ports.freeLoopbackPort();
      try {
        redis.launch();
        return redis;
      } catch (IllegalStateException e) {
        failure = e;
      }
    }
    redis.close();
    throw failure;
  }

  /**
   * {@code latchkey-redis-}, plus the value of {@code LATCHKEY_CI_RUN} when set: redis-server
   * overwrites its environment with its process title, so {@code .ci/run} recognises the servers
   * of its own run by their working directory instead.
   */
  static String directoryPrefix() {
    String run = System.getenv("LATCHKEY_CI_RUN");
    if (run == null || !run.matches("[A-Za-z0-9-]{1,40}")) {
      return "latchkey-redis-";
    }
    return "latchkey-redis-" + run + "-";
  }

  /** The server's working directory (its log, its data files). */
  Path directory() {
    return dir;
  }

  /** The host to connect to: {@code 127.0.0.1}. */
  public String host() {
    return HOST;
  }

  /** The port the server listens on; it stays the same across {@link #restart()}. */
  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:port}. */
  public String uri() {
    return "redis://" + HOST + ":" + port;
  }

  /** The pid of the current process, for tests that need to signal it themselves. */
  public long pid() {
    lock.lock();
    try {
      return requireProcess().pid();
    } finally {
      lock.unlock();
    }
  }

  /** Shuts the server down (SIGTERM, then SIGKILL if it lingers); {@link #restart()} brings it back. */
  public void stop() {
    lock.lock();
    try {
      if (process != null) {
        Processes.terminate(process);
        process = null;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Kills the server with SIGKILL, as a crash would; {@link #restart()} brings it back. */
  public void kill() {
    lock.lock();
    try {
      if (process != null) {
        Processes.kill(process);
        process = null;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Freezes the server with SIGSTOP: connections stay open, commands get no answer until
   * {@link #resume()}.
   *
   * @throws IllegalStateException when the server is not running
   */
  public void pause() {
    lock.lock();
    try {
      Processes.signal(requireProcess().pid(), "STOP");
    } finally {
      lock.unlock();
    }
  }

  /**
   * Continues a server frozen by {@link #pause()} (SIGCONT).
   *
   * @throws IllegalStateException when the server is not running
   */
  public void resume() {
    lock.lock();
    try {
      Processes.signal(requireProcess().pid(), "CONT");
    } finally {
      lock.unlock();
    }
  }

  /**
   * Replaces the server with a new process on the same port, with empty data (nothing persists).
   * A running server is killed first. Returns once the new one answers PING.
   *
   * @throws IllegalStateException when the new process does not start
   */
  public void restart() {
    lock.lock();
    try {
      requireOpen();
      if (process != null) {
        Processes.kill(process);
        process = null;
      }
      deleteDataFiles();
      IllegalStateException failure = null;
      for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
        try {
          launch();
          return;
        } catch (IllegalStateException e) {
          failure = e;
          sleepQuietly(200);
        }
      }
      throw failure;
    } finally {
      lock.unlock();
    }
  }

  /** True while the process is alive (also when paused). */
  public boolean isRunning() {
    lock.lock();
    try {
      return process != null && process.isAlive();
    } finally {
      lock.unlock();
    }
  }

  /** Kills the server and deletes its directory. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      kill();
      Processes.deleteNow(dir);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "PrivateRedis[" + uri() + "]";
  }

  private void launch() {
    requireOpen();
    List<String> command = new ArrayList<>(List.of(executable.toString()));
    if (config != null) {
      // redis-server reads a configuration file only as its first argument.
      command.add(config.toString());
    }
    command.addAll(List.of(
        "--port", Integer.toString(port), "--bind", HOST, "--save", "", "--appendonly", "no",
        "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "no",
        "--logfile", ""));
    command.addAll(extraArgs);
    Path log = dir.resolve("redis.log");
    Process started;
    try {
      started = Processes.start(command, dir, log);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + executable, e);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MILLIS);
    while (System.nanoTime() < deadline) {
      if (!started.isAlive()) {
        Processes.kill(started);
        throw new IllegalStateException("redis-server on port " + port + " exited with code "
            + started.exitValue() + "; log:\n" + tail(log));
      }
      if (Resp.pings(HOST, port, 500)) {
        process = started;
        return;
      }
      sleepQuietly(20);
    }
    Processes.kill(started);
    throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
        + READY_TIMEOUT_MILLIS + " ms; log:\n" + tail(log));
  }

  private Process requireProcess() {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException(this + " is not running");
    }
    return process;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private void deleteDataFiles() {
    try {
      Files.deleteIfExists(dir.resolve("dump.rdb"));
      Processes.deleteNow(dir.resolve("appendonlydir"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + dir, e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for redis-server", e);
    }
  }
}
