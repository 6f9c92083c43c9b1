package dev.latchkey.testkit.redis;

import dev.latchkey.testkit.internal.Containers;
import dev.latchkey.testkit.internal.Docker;
import dev.latchkey.testkit.internal.Processes;
import dev.latchkey.testkit.internal.Resp;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Finds or starts the Redis servers tests talk to. Never skips: when nothing answers, it throws with
 * a message that says what to install.
 *
 * <p>{@link #sharedUri()} resolves, once per JVM, in this order:
 * <ol>
 *   <li>{@code LATCHKEY_REDIS_URL} when set (any Lettuce URI, e.g. {@code redis://:secret@host:6380/0});
 *       if it does not answer PING the call fails naming the URL, it never falls through;</li>
 *   <li>a private {@code redis-server} started from the PATH on a free loopback port
 *       ({@link PrivateRedis}), shared by the JVM's tests and killed when the JVM exits;</li>
 *   <li>the local service on {@code 127.0.0.1:6379} if it answers PING (it is shared with other
 *       users of the machine: use unique key prefixes, never {@code FLUSHALL});</li>
 *   <li>a {@code redis:7.0} container through Testcontainers, only when a Docker engine answers
 *       {@code GET /_ping} (on {@code DOCKER_HOST} or {@code /var/run/docker.sock}) and
 *       Testcontainers is on the test class path; its reaper removes the container at JVM exit;</li>
 *   <li>otherwise an {@link IllegalStateException} naming {@code apt-get install redis-server} and
 *       {@code LATCHKEY_REDIS_URL}.</li>
 * </ol>
 *
 * <p>Fault tests need servers they may kill and pause: {@link #startMasters(int)},
 * {@link #startCluster(int)} and {@link #startSentinel(int)} always start private processes from the
 * PATH.
 */
public final class RedisServers {

  /** The environment variable that names an explicit Redis server. */
  public static final String REDIS_URL_ENV = "LATCHKEY_REDIS_URL";

  private static final ReentrantLock LOCK = new ReentrantLock();
  private static String sharedUri;
  private static PrivateRedis sharedPrivate;

  private RedisServers() {}

  /**
   * The URI of a Redis server for ordinary tests, resolved once per JVM in the order given in the
   * class comment.
   *
   * @throws IllegalStateException when {@code LATCHKEY_REDIS_URL} does not answer, or no server
   *     can be found or started; the message says what to install or fix
   */
  public static String sharedUri() {
    LOCK.lock();
    try {
      if (sharedUri == null) {
        sharedUri = resolve(System.getenv(), "127.0.0.1", 6379);
      }
      return sharedUri;
    } finally {
      LOCK.unlock();
    }
  }

  /**
   * Starts {@code n} independent private masters (for Redlock). The caller closes them; any left
   * open die with the JVM.
   *
   * @throws IllegalArgumentException when {@code n < 1}
   * @throws IllegalStateException when {@code redis-server} is not on the PATH or does not start
   */
  public static List<PrivateRedis> startMasters(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("number of masters must be at least 1, got " + n);
    }
    List<PrivateRedis> masters = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        masters.add(PrivateRedis.start());
      }
      return List.copyOf(masters);
    } catch (RuntimeException e) {
      masters.forEach(PrivateRedis::close);
      throw e;
    }
  }

  /**
   * Starts a Redis Cluster of {@code masters} private nodes and returns once every node reports
   * {@code cluster_state:ok}. The caller closes it.
   *
   * @throws IllegalArgumentException when {@code masters < 3}
   * @throws IllegalStateException when {@code redis-server} or {@code redis-cli} is missing or the
   *     cluster does not form
   */
  public static RedisCluster startCluster(int masters) {
    return RedisCluster.start(masters);
  }

  /**
   * Starts a Sentinel deployment (a master, one replica, {@code sentinels} sentinels) of private
   * processes and returns once every sentinel monitors the master and its replica. The caller closes
   * it.
   *
   * @throws IllegalArgumentException when {@code sentinels < 1}
   * @throws IllegalStateException when {@code redis-server} is missing or the deployment does not
   *     come up within 30 s
   */
  public static RedisSentinel startSentinel(int sentinels) {
    return RedisSentinel.start(sentinels);
  }

  /** The resolution itself, with the environment and the local service's address as inputs. */
  static String resolve(Map<String, String> env, String localHost, int localPort) {
    Objects.requireNonNull(env, "env");
    String explicit = env.get(REDIS_URL_ENV);
    if (explicit != null && !explicit.isBlank()) {
      requirePing(explicit.trim());
      return explicit.trim();
    }
    if (Processes.which("redis-server", env.get("PATH")) != null) {
      return sharedPrivate().uri();
    }
    if (Resp.pings(localHost, localPort, 1000)) {
      return "redis://" + localHost + ":" + localPort;
    }
    if (Docker.engineAnswers(env) && Docker.testcontainersPresent()) {
      Containers.Endpoint endpoint = Containers.redis();
      return "redis://" + endpoint.host() + ":" + endpoint.port();
    }
    throw new IllegalStateException("No Redis server for tests: " + REDIS_URL_ENV
        + " is not set, redis-server is not on the PATH, nothing answers PING on " + localHost + ":"
        + localPort + " and no Docker engine answers. Install Redis (apt-get install redis-server), "
        + "or set " + REDIS_URL_ENV + "=redis://host:port, or start a Docker engine.");
  }

  private static PrivateRedis sharedPrivate() {
    LOCK.lock();
    try {
      if (sharedPrivate == null) {
        sharedPrivate = PrivateRedis.start();
      }
      return sharedPrivate;
    } finally {
      LOCK.unlock();
    }
  }

  private static void requirePing(String url) {
    RedisClient client = null;
    try {
      RedisURI uri = RedisURI.create(url);
      uri.setTimeout(Duration.ofSeconds(3));
      client = RedisClient.create(uri);
      client.setOptions(ClientOptions.builder()
          .autoReconnect(false)
          .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(3)).build())
          .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(3)))
          .build());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        String reply = connection.sync().ping();
        if (!"PONG".equals(reply)) {
          throw new IllegalStateException("answered PING with " + reply);
        }
      }
    } catch (RuntimeException e) {
      throw new IllegalStateException(REDIS_URL_ENV + "=" + url + " does not answer PING ("
          + e + "). Start that server, fix the URL, or unset " + REDIS_URL_ENV + ".", e);
    } finally {
      if (client != null) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
  }
}
