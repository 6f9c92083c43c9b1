package dev.latchkey.testkit.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * One database for tests, found or created by {@link Databases}: its JDBC coordinates, a shared
 * small connection pool, and plain connections. Instances are shared by the JVM's tests; use unique
 * table names or key values. Thread-safe.
 */
public final class TestDatabase {

  private static final AtomicInteger POOL_COUNTER = new AtomicInteger();

  private final String kind;
  private final String urlPrefix;
  private final String host;
  private final int port;
  private final String urlRest;
  private final String databaseName;
  private final String user;
  private final String password;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<HikariDataSource> pools = new CopyOnWriteArrayList<>();
  private HikariDataSource shared;

  /**
   * @param urlPrefix the URL up to the host ({@code jdbc:postgresql://}); the whole URL for H2
   * @param urlRest the URL after {@code host:port}: path and parameters
   */
  TestDatabase(String kind, String urlPrefix, String host, int port, String urlRest,
      String databaseName, String user, String password) {
    this.kind = kind;
    this.urlPrefix = urlPrefix;
    this.host = host;
    this.port = port;
    this.urlRest = urlRest;
    this.databaseName = databaseName;
    this.user = user == null ? "" : user;
    this.password = password == null ? "" : password;
  }

  /** {@code "postgresql"}, {@code "mariadb"} or {@code "h2"}. */
  public String kind() {
    return kind;
  }

  /** The JDBC URL of this database. */
  public String jdbcUrl() {
    return host == null ? urlPrefix : urlPrefix + host + ":" + port + urlRest;
  }

  /**
   * The server's host, for putting a {@link dev.latchkey.testkit.proxy.FaultProxy} in front of it.
   *
   * @throws UnsupportedOperationException for H2, which is embedded
   */
  public String host() {
    requireNetworked();
    return host;
  }

  /**
   * The server's port.
   *
   * @throws UnsupportedOperationException for H2, which is embedded
   */
  public int port() {
    requireNetworked();
    return port;
  }

  /** The name of the database (for H2, of the in-memory database). */
  public String databaseName() {
    return databaseName;
  }

  /** The user to connect as; empty when the URL given in the environment names none. */
  public String user() {
    return user;
  }

  /** The password; empty when there is none. */
  public String password() {
    return password;
  }

  /**
   * The same database reached through {@code host:port}, typically a
   * {@link dev.latchkey.testkit.proxy.FaultProxy} in front of the server.
   *
   * @throws UnsupportedOperationException for H2, which is embedded and has no port
   */
  public String jdbcUrlVia(String host, int port) {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in 1..65535, got " + port);
    }
    requireNetworked();
    return urlPrefix + host + ":" + port + urlRest;
  }

  /**
   * A shared HikariCP pool of at most 10 connections, created on first use and closed when the JVM
   * exits. Do not close it.
   */
  public DataSource dataSource() {
    lock.lock();
    try {
      if (shared == null) {
        shared = newDataSource(10);
      }
      return shared;
    } finally {
      lock.unlock();
    }
  }

  /**
   * A new HikariCP pool of at most {@code maxPoolSize} connections (none kept idle) that the
   * caller closes; any left open are closed when the JVM exits.
   *
   * @throws IllegalArgumentException when {@code maxPoolSize < 1}
   */
  public HikariDataSource newDataSource(int maxPoolSize) {
    return newDataSource(jdbcUrl(), maxPoolSize);
  }

  /**
   * Like {@link #newDataSource(int)}, on another URL of this database, e.g. one from
   * {@link #jdbcUrlVia(String, int)}.
   */
  public HikariDataSource newDataSource(String jdbcUrl, int maxPoolSize) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be at least 1, got " + maxPoolSize);
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("latchkey-test-" + kind + "-" + POOL_COUNTER.incrementAndGet());
    config.setJdbcUrl(jdbcUrl);
    if (!user.isEmpty()) {
      config.setUsername(user);
      config.setPassword(password);
    }
    config.setMaximumPoolSize(maxPoolSize);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(10_000);
    HikariDataSource pool = new HikariDataSource(config);
    pools.add(pool);
    return pool;
  }

  /** A plain {@link DriverManager} connection, not pooled; the caller closes it. */
  public Connection connect() throws SQLException {
    return user.isEmpty()
        ? DriverManager.getConnection(jdbcUrl())
        : DriverManager.getConnection(jdbcUrl(), user, password);
  }

  private void requireNetworked() {
    if (host == null) {
      throw new UnsupportedOperationException(kind + " is embedded: it has no host and port");
    }
  }

  /** Closes every pool this instance created; used before the database is dropped. */
  void closePools() {
    for (HikariDataSource pool : pools) {
      pool.close();
    }
  }

  @Override
  public String toString() {
    return "TestDatabase[" + kind + " " + jdbcUrl() + "]";
  }
}
