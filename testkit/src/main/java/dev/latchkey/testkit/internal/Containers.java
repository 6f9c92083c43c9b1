package dev.latchkey.testkit.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers fallback: one container per server kind per JVM, started only after
 * {@link Docker#engineAnswers} said yes and only when Testcontainers is on the class path (it is an
 * optional dependency). Testcontainers' own reaper removes the containers when the JVM exits.
 * Loading this class without Testcontainers fails, so callers check first.
 */
public final class Containers {

  /** Host and mapped port of a started container. */
  public record Endpoint(String host, int port) {}

  private static final ReentrantLock LOCK = new ReentrantLock();
  private static GenericContainer<?> redis;
  private static GenericContainer<?> postgres;
  private static GenericContainer<?> mariadb;

  private Containers() {}

  /** A {@code redis:7.0} container. */
  public static Endpoint redis() {
    LOCK.lock();
    try {
      if (redis == null) {
        redis = start(new GenericContainer<>(DockerImageName.parse("redis:7.0"))
            .withCommand("redis-server", "--save", "", "--appendonly", "no")
            .withExposedPorts(6379)
            .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1)));
      }
      return new Endpoint(redis.getHost(), redis.getMappedPort(6379));
    } finally {
      LOCK.unlock();
    }
  }

  /** A {@code postgres:15} container with trust authentication for user {@code postgres}. */
  public static Endpoint postgres() {
    LOCK.lock();
    try {
      if (postgres == null) {
        postgres = start(new GenericContainer<>(DockerImageName.parse("postgres:15"))
            .withEnv(Map.of("POSTGRES_HOST_AUTH_METHOD", "trust"))
            .withExposedPorts(5432)
            // The image restarts the server once after initdb: wait for the second "ready".
            .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\n", 2)));
      }
      return new Endpoint(postgres.getHost(), postgres.getMappedPort(5432));
    } finally {
      LOCK.unlock();
    }
  }

  /** A {@code mariadb:10.11} container with user {@code root} and an empty password. */
  public static Endpoint mariadb() {
    LOCK.lock();
    try {
      if (mariadb == null) {
        mariadb = start(new GenericContainer<>(DockerImageName.parse("mariadb:10.11"))
            .withEnv(Map.of("MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "1", "MARIADB_ROOT_HOST", "%"))
            .withExposedPorts(3306)
            .waitingFor(Wait.forLogMessage(".*ready for connections.*\\n", 2)));
      }
      return new Endpoint(mariadb.getHost(), mariadb.getMappedPort(3306));
    } finally {
      LOCK.unlock();
    }
  }

  private static GenericContainer<?> start(GenericContainer<?> container) {
    container.withStartupTimeout(Duration.ofMinutes(3)).start();
    return container;
  }
}
