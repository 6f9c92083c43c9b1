package dev.latchkey.testkit.redis;

import dev.latchkey.testkit.internal.Resp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A real Redis Sentinel deployment on loopback: a private master, one replica started with
 * {@code --replicaof}, and {@code n} sentinels ({@code redis-server <conf> --sentinel}, each with a
 * writable configuration file in its own directory) that monitor the master as {@link #masterName()}
 * with a quorum of {@code n / 2 + 1}. Every process is a {@link PrivateRedis} on a free port, so
 * nothing outlives the test JVM and fault tests can stop, kill or pause any of them.
 *
 * <p>{@link RedisServers#startSentinel(int)} returns once the replica is in sync and every sentinel
 * reports the master, knows the replica with a healthy link, and knows the other sentinels. The
 * sentinels mark a server down after {@value #DOWN_AFTER_MILLIS} ms without answers, with a failover
 * timeout of {@value #FAILOVER_TIMEOUT_MILLIS} ms. {@link #failover()} forces a failover and waits
 * until it is complete. Not meant to be driven from several threads at once.
 *
 * <pre>{@code
 * try (RedisSentinel sentinel = RedisServers.startSentinel(3)) {
 *   RedisClient client = RedisClient.create(sentinel.uri());   // redis-sentinel://...#latchkey
 *   ...
 *   PrivateRedis promoted = sentinel.failover();
 * }
 * }</pre>
 */
public final class RedisSentinel implements AutoCloseable {

  /** How long a server may not answer before a sentinel marks it down, in milliseconds. */
  public static final int DOWN_AFTER_MILLIS = 2_000;

  /** The sentinels' {@code failover-timeout}, in milliseconds. */
  public static final int FAILOVER_TIMEOUT_MILLIS = 10_000;

  private static final String MASTER_NAME = "latchkey";
  private static final int CALL_TIMEOUT_MILLIS = 1_000;
  private static final long READY_TIMEOUT_MILLIS = 30_000;
  /**
   * Sentinel turns the old master into a replica only after it has reported the wrong role for
   * 8 s, seen by an INFO it sends every 10 s: a complete failover takes 10 to 20 s.
   */
  private static final long FAILOVER_WAIT_MILLIS = 60_000;

  private final List<PrivateRedis> servers;
  private final List<PrivateRedis> sentinels = new ArrayList<>();

  private RedisSentinel(List<PrivateRedis> servers) {
    this.servers = List.copyOf(servers);
  }

  static RedisSentinel start(int sentinelCount) {
    if (sentinelCount < 1) {
      throw new IllegalArgumentException("number of sentinels must be at least 1, got "
          + sentinelCount);
    }
    List<PrivateRedis> servers = new ArrayList<>();
    try {
      // No diskless-sync delay: a replica (also a demoted master) syncs at once, not after 5 s.
      List<String> dataArgs = List.of("--repl-diskless-sync-delay", "0");
      PrivateRedis master = PrivateRedis.start(dataArgs);
      servers.add(master);
      List<String> replicaArgs = new ArrayList<>(dataArgs);
      replicaArgs.addAll(List.of("--replicaof", master.host(), Integer.toString(master.port())));
      servers.add(PrivateRedis.start(replicaArgs));
    } catch (RuntimeException e) {
      servers.forEach(PrivateRedis::close);
      throw e;
    }
    RedisSentinel deployment = new RedisSentinel(servers);
    try {
      PrivateRedis master = servers.get(0);
      PrivateRedis replica = servers.get(1);
      deployment.await("the replica to sync with the master", READY_TIMEOUT_MILLIS,
          () -> replicaStateMismatch(replica, master));
      String config = "sentinel monitor " + MASTER_NAME + " " + master.host() + " " + master.port()
          + " " + (sentinelCount / 2 + 1) + "\n"
          + "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MILLIS + "\n"
          + "sentinel failover-timeout " + MASTER_NAME + " " + FAILOVER_TIMEOUT_MILLIS + "\n";
      for (int i = 0; i < sentinelCount; i++) {
        deployment.sentinels.add(PrivateRedis.start(config, List.of("--sentinel")));
      }
      deployment.await("every sentinel to monitor the master, its replica and the other sentinels",
          READY_TIMEOUT_MILLIS, () -> deployment.monitoringMismatch(master, replica));
      return deployment;
    } catch (RuntimeException e) {
      deployment.close();
      throw e;
    }
  }

  /** The name the sentinels monitor the master under: {@code latchkey}. */
  public String masterName() {
    return MASTER_NAME;
  }

  /** The host of every process: {@code 127.0.0.1}. */
  public String host() {
    return servers.get(0).host();
  }

  /** The sentinels' ports, in the order they were started. */
  public List<Integer> sentinelPorts() {
    return sentinels.stream().map(PrivateRedis::port).toList();
  }

  /**
   * The Lettuce URI of the deployment: {@code redis-sentinel://127.0.0.1:p1,127.0.0.1:p2#latchkey},
   * naming every sentinel and the master name.
   */
  public String uri() {
    return "redis-sentinel://" + sentinels.stream().map(s -> s.host() + ":" + s.port())
        .collect(Collectors.joining(",")) + "#" + MASTER_NAME;
  }

  /** The sentinel handles, in the order they were started. */
  public List<PrivateRedis> sentinels() {
    return List.copyOf(sentinels);
  }

  /** The data servers: the first was started as the master, the second as its replica. */
  public List<PrivateRedis> servers() {
    return servers;
  }

  /**
   * The data server the first sentinel reports as master now.
   *
   * @throws IllegalStateException when the sentinel does not answer or names an unknown server
   */
  public PrivateRedis currentMaster() {
    int port;
    try {
      port = reportedMasterPort(sentinels.get(0));
    } catch (IOException e) {
      throw new IllegalStateException(sentinels.get(0) + " does not report the master of "
          + MASTER_NAME + ": " + e.getMessage(), e);
    }
    return servers.stream().filter(s -> s.port() == port).findFirst().orElseThrow(
        () -> new IllegalStateException("the sentinels report port " + port + " as master of "
            + MASTER_NAME + ", which is none of " + servers));
  }

  /**
   * Forces a failover ({@code SENTINEL FAILOVER latchkey} on the first sentinel) and returns the
   * promoted server once the failover is complete: every sentinel reports it as master, it has the
   * master role, and the old master, when it is running, has been made its replica and is in sync.
   * From then on a client that connects through the sentinels reaches the new master, and the old
   * one takes no more writes; until then (10 to 20 s, see the class comment) the old master still
   * accepts writes from clients connected to it, which the demotion discards. Retries the command
   * while the sentinel answers with an error (no replica it considers good yet, a failover in
   * progress). Bounded by 60 s.
   *
   * @throws IllegalStateException when the failover does not complete within 60 s
   */
  public PrivateRedis failover() {
    PrivateRedis old = currentMaster();
    PrivateRedis next = servers.get(0) == old ? servers.get(1) : servers.get(0);
    PrivateRedis sentinel = sentinels.get(0);
    await("SENTINEL FAILOVER to be accepted", FAILOVER_WAIT_MILLIS, () -> {
      try {
        Resp.call(sentinel.host(), sentinel.port(), CALL_TIMEOUT_MILLIS,
            "SENTINEL", "FAILOVER", MASTER_NAME);
        return null;
      } catch (IOException e) {
        // INPROG: a failover runs already (also ours, when its reply was lost): wait for it.
        return String.valueOf(e.getMessage()).contains("INPROG") ? null : e.getMessage();
      }
    });
    await("the failover from " + old + " to " + next + " to complete", FAILOVER_WAIT_MILLIS, () -> {
      String sentinelsMismatch = masterMismatch(next);
      if (sentinelsMismatch != null) {
        return sentinelsMismatch;
      }
      String role = field(info(next), "role");
      if (!"master".equals(role)) {
        return next + " has role " + role;
      }
      return old.isRunning() ? replicaStateMismatch(old, next) : null;
    });
    return next;
  }

  /** Kills the sentinels, then the data servers, and deletes their directories. Idempotent. */
  @Override
  public void close() {
    // Sentinels first, or they would start a failover while the data servers go away.
    sentinels.forEach(PrivateRedis::close);
    servers.forEach(PrivateRedis::close);
  }

  @Override
  public String toString() {
    return "RedisSentinel[" + uri() + ", servers " + servers + "]";
  }

  /** Null when every sentinel reports the master, the replica and the other sentinels as healthy. */
  private String monitoringMismatch(PrivateRedis master, PrivateRedis replica) {
    String mismatch = masterMismatch(master);
    if (mismatch != null) {
      return mismatch;
    }
    for (PrivateRedis sentinel : sentinels) {
      try {
        Map<String, String> known = null;
        for (Map<String, String> r : entries(sentinel, "REPLICAS")) {
          if (Integer.toString(replica.port()).equals(r.get("port"))) {
            known = r;
          }
        }
        if (known == null) {
          return sentinel + " does not know the replica " + replica + " yet";
        }
        if (!"slave".equals(known.get("flags")) || !"ok".equals(known.get("master-link-status"))) {
          return sentinel + " sees the replica with flags " + known.get("flags")
              + " and master-link-status " + known.get("master-link-status");
        }
        int others = entries(sentinel, "SENTINELS").size();
        if (others != sentinels.size() - 1) {
          return sentinel + " knows " + others + " other sentinels of " + (sentinels.size() - 1);
        }
      } catch (IOException e) {
        return sentinel + ": " + e.getMessage();
      }
    }
    return null;
  }

  /** Null when every sentinel reports {@code master} as the master. */
  private String masterMismatch(PrivateRedis master) {
    for (PrivateRedis sentinel : sentinels) {
      try {
        int port = reportedMasterPort(sentinel);
        if (port != master.port()) {
          return sentinel + " reports port " + port + " as master, not " + master;
        }
      } catch (IOException e) {
        return sentinel + ": " + e.getMessage();
      }
    }
    return null;
  }

  /** Null when {@code replica} replicates {@code master} with its link up. */
  private static String replicaStateMismatch(PrivateRedis replica, PrivateRedis master) {
    Map<String, String> info = info(replica);
    if (!"slave".equals(info.get("role"))
        || !Integer.toString(master.port()).equals(info.get("master_port"))
        || !"up".equals(info.get("master_link_status"))) {
      return replica + " has role " + info.get("role") + ", master_port " + info.get("master_port")
          + ", master_link_status " + info.get("master_link_status") + "; want a replica of "
          + master + " in sync";
    }
    return null;
  }

  private static int reportedMasterPort(PrivateRedis sentinel) throws IOException {
    Object reply = Resp.call(sentinel.host(), sentinel.port(), CALL_TIMEOUT_MILLIS,
        "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
    if (!(reply instanceof List<?> address) || address.size() != 2) {
      throw new IOException("unexpected reply to GET-MASTER-ADDR-BY-NAME: " + reply);
    }
    return Integer.parseInt(String.valueOf(address.get(1)));
  }

  /** {@code SENTINEL <what> latchkey}: a list of flat field/value arrays, as maps. */
  private static List<Map<String, String>> entries(PrivateRedis sentinel, String what)
      throws IOException {
    Object reply = Resp.call(sentinel.host(), sentinel.port(), CALL_TIMEOUT_MILLIS,
        "SENTINEL", what, MASTER_NAME);
    List<Map<String, String>> out = new ArrayList<>();
    if (reply instanceof List<?> list) {
      for (Object entry : list) {
        Map<String, String> fields = new HashMap<>();
        if (entry instanceof List<?> flat) {
          for (int i = 0; i + 1 < flat.size(); i += 2) {
            fields.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
          }
        }
        out.add(fields);
      }
    }
    return out;
  }

  /** {@code INFO replication} as a map; empty when the server does not answer. */
  private static Map<String, String> info(PrivateRedis server) {
    Map<String, String> fields = new HashMap<>();
    try {
      Object reply = Resp.call(server.host(), server.port(), CALL_TIMEOUT_MILLIS,
          "INFO", "replication");
      for (String line : String.valueOf(reply).split("\r?\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
        }
      }
    } catch (IOException e) {
      fields.put("error", e.getMessage());
    }
    return fields;
  }

  private static String field(Map<String, String> info, String name) {
    return info.getOrDefault(name, "unknown (" + info.get("error") + ")");
  }

  /** Polls {@code mismatch} (null when satisfied, else the state seen) until it is satisfied. */
  private void await(String what, long timeoutMillis, Supplier<String> mismatch) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      String seen = mismatch.get();
      if (seen == null) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("waited " + timeoutMillis + " ms for " + what
            + " in " + this + "; last seen: " + seen);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }
}
