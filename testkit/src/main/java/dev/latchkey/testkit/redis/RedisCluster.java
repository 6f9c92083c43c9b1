package dev.latchkey.testkit.redis;

import dev.latchkey.testkit.internal.Ports;
import dev.latchkey.testkit.internal.Processes;
import dev.latchkey.testkit.internal.Resp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster on loopback: {@code n >= 3} private masters started with
 * {@code cluster-enabled yes}, joined by {@code redis-cli --cluster create ... --cluster-yes}, no
 * replicas. {@link RedisServers#startCluster(int)} returns only once every node reports
 * {@code cluster_state:ok}. Each node is a {@link PrivateRedis}, so fault tests can pause or kill one.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisServers.startCluster(3)) {
 *   RedisClusterClient client = RedisClusterClient.create(cluster.uris().get(0));
 *   ...
 * }
 * }</pre>
 */
public final class RedisCluster implements AutoCloseable {

  private static final long READY_TIMEOUT_MILLIS = 30_000;

  private final List<PrivateRedis> nodes;

  private RedisCluster(List<PrivateRedis> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  static RedisCluster start(int masters) {
    if (masters < 3) {
      throw new IllegalArgumentException("a Redis Cluster needs at least 3 masters, got " + masters);
    }
    Path cli = Processes.which("redis-cli", System.getenv("PATH"));
    if (cli == null) {
      throw new IllegalStateException(
          "redis-cli is not on the PATH; install it (apt-get install redis-server)");
    }
    List<PrivateRedis> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < masters; i++) {
        nodes.add(PrivateRedis.start(List.of(
            "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", "5000",
            // An explicit bus port: port + 10000 may be taken or beyond 65535.
            "--cluster-port", Integer.toString(Ports.freeLoopbackPort()))));
      }
      RedisCluster cluster = new RedisCluster(nodes);
      cluster.create(cli);
      cluster.awaitOk();
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(PrivateRedis::close);
      throw e;
    }
  }

  /** {@code redis://127.0.0.1:port} of every node; any one of them seeds a cluster client. */
  public List<String> uris() {
    return nodes.stream().map(PrivateRedis::uri).toList();
  }

  /** The node handles, in the order they were started. */
  public List<PrivateRedis> nodes() {
    return nodes;
  }

  /** Kills every node and deletes their directories. Idempotent. */
  @Override
  public void close() {
    nodes.forEach(PrivateRedis::close);
  }

  @Override
  public String toString() {
    return "RedisCluster" + uris();
  }

  private void create(Path cli) {
    List<String> command = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
    for (PrivateRedis node : nodes) {
      command.add(node.host() + ":" + node.port());
    }
    command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    Path log;
    try {
      log = Files.createTempFile("latchkey-cluster-create-", ".log");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a log file for redis-cli", e);
    }
    try {
      Process process = Processes.start(command, log.getParent(), log);
      boolean finished = process.waitFor(60, TimeUnit.SECONDS);
      int code = finished ? process.exitValue() : -1;
      Processes.kill(process);
      if (code != 0) {
        throw new IllegalStateException("redis-cli --cluster create failed (exit " + code
            + "):\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating " + this, e);
    } finally {
      try {
        Files.deleteIfExists(log);
      } catch (IOException e) {
        // A leftover log file is harmless.
      }
    }
  }

  private void awaitOk() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MILLIS);
    String last = "";
    for (PrivateRedis node : nodes) {
      while (true) {
        try {
          Object info = Resp.call(node.host(), node.port(), 1000, "CLUSTER", "INFO");
          last = String.valueOf(info);
          if (last.contains("cluster_state:ok") && last.contains("cluster_slots_ok:16384")) {
            break;
          }
        } catch (IOException e) {
          last = e.toString();
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(node + " did not reach cluster_state:ok within "
              + READY_TIMEOUT_MILLIS + " ms; last CLUSTER INFO:\n" + last);
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for " + this, e);
        }
      }
    }
  }
}
