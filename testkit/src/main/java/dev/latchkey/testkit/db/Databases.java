package dev.latchkey.testkit.db;

import dev.latchkey.testkit.internal.Containers;
import dev.latchkey.testkit.internal.Docker;
import dev.latchkey.testkit.internal.Ports;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Finds the databases tests talk to, once per JVM per kind. Never skips: when nothing answers it
 * throws with a message that says what to install.
 *
 * <p>{@link #postgres()} and {@link #mariadb()} resolve in this order:
 * <ol>
 *   <li>{@code LATCHKEY_POSTGRES_URL} / {@code LATCHKEY_MARIADB_URL} when set: a JDBC URL, with
 *       {@code user} and {@code password} parameters if needed, used as it is; if it does not
 *       answer the call fails naming the URL, it never falls through;</li>
 *   <li>the local service on {@code 127.0.0.1:5432} (user {@code postgres}) or
 *       {@code 127.0.0.1:3306} (user {@code root}), both without password: a fresh database
 *       {@code latchkey_test_<pid>_<random>} is created and dropped by a shutdown hook. Databases
 *       left by a JVM that was killed (its pid no longer alive) are dropped at the next start;</li>
 *   <li>a {@code postgres:15} or {@code mariadb:10.11} container through Testcontainers, only when
 *       a Docker engine answers {@code GET /_ping} and Testcontainers is on the test class path;
 *       a fresh database is created in it the same way;</li>
 *   <li>otherwise an {@link IllegalStateException} naming the Debian package to install.</li>
 * </ol>
 * {@link #h2()} is an embedded in-memory H2 database in H2's own mode (no compatibility mode),
 * alive for the whole JVM ({@code DB_CLOSE_DELAY=-1}).
 */
public final class Databases {

  /** The environment variable naming an explicit PostgreSQL JDBC URL. */
  public static final String POSTGRES_URL_ENV = "LATCHKEY_POSTGRES_URL";
  /** The environment variable naming an explicit MariaDB (or MySQL) JDBC URL. */
  public static final String MARIADB_URL_ENV = "LATCHKEY_MARIADB_URL";

  static final String FRESH_PREFIX = "latchkey_test_";
  private static final java.util.regex.Pattern FRESH_NAME =
      java.util.regex.Pattern.compile("latchkey_test_(\\d{1,18})_[0-9a-f]{8}");

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ReentrantLock LOCK = new ReentrantLock();
  private static TestDatabase postgres;
  private static TestDatabase mariadb;
  private static TestDatabase h2;

  private Databases() {}

  /**
   * PostgreSQL, resolved once per JVM in the order given in the class comment.
   *
   * @throws IllegalStateException when the URL from the environment does not answer or no server
   *     is found; the message says what to install or fix
   */
  public static TestDatabase postgres() {
    LOCK.lock();
    try {
      if (postgres == null) {
        postgres = resolve(Kind.POSTGRESQL, System.getenv(), "127.0.0.1", Kind.POSTGRESQL.port);
      }
      return postgres;
    } finally {
      LOCK.unlock();
    }
  }

  /**
   * MariaDB, resolved once per JVM in the order given in the class comment.
   *
   * @throws IllegalStateException when the URL from the environment does not answer or no server
   *     is found; the message says what to install or fix
   */
  public static TestDatabase mariadb() {
    LOCK.lock();
    try {
      if (mariadb == null) {
        mariadb = resolve(Kind.MARIADB, System.getenv(), "127.0.0.1", Kind.MARIADB.port);
      }
      return mariadb;
    } finally {
      LOCK.unlock();
    }
  }

  /** The JVM's embedded in-memory H2 database, user {@code sa}, empty password. */
  public static TestDatabase h2() {
    LOCK.lock();
    try {
      if (h2 == null) {
        String name = "latchkey_" + randomHex();
        h2 = new TestDatabase("h2", "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", null, -1, "",
            name, "sa", "");
      }
      return h2;
    } finally {
      LOCK.unlock();
    }
  }

  /** The resolution itself, with the environment and the local service's address as inputs. */
  static TestDatabase resolve(Kind kind, Map<String, String> env, String localHost, int localPort) {
    Objects.requireNonNull(env, "env");
    String explicit = env.get(kind.env);
    if (explicit != null && !explicit.isBlank()) {
      return explicit(kind, explicit.trim());
    }
    if (Ports.accepts(localHost, localPort, 1000)) {
      return fresh(kind, localHost, localPort);
    }
    if (Docker.engineAnswers(env) && Docker.testcontainersPresent()) {
      Containers.Endpoint endpoint = kind == Kind.POSTGRESQL ? Containers.postgres()
          : Containers.mariadb();
      return fresh(kind, endpoint.host(), endpoint.port());
    }
    throw new IllegalStateException("No " + kind.title + " for tests: " + kind.env
        + " is not set, nothing accepts connections on " + localHost + ":" + localPort
        + " and no Docker engine answers. " + kind.install + ", or set " + kind.env + "="
        + kind.example + ", or start a Docker engine.");
  }

  private static TestDatabase explicit(Kind kind, String url) {
    if (!url.startsWith(kind.urlPrefix)) {
      throw new IllegalStateException(kind.env + "=" + url + " is not a " + kind.title
          + " JDBC URL; expected " + kind.example);
    }
    URI uri;
    try {
      uri = URI.create(url.substring("jdbc:".length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(kind.env + "=" + url + " cannot be parsed: " + e.getMessage()
          + "; expected " + kind.example, e);
    }
    if (uri.getHost() == null) {
      throw new IllegalStateException(kind.env + "=" + url + " names no single host; expected "
          + kind.example);
    }
    Map<String, String> params = queryParams(uri.getRawQuery());
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String rest = path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    int port = uri.getPort() > 0 ? uri.getPort() : kind.port;
    TestDatabase db = new TestDatabase(kind.name, kind.urlPrefix, uri.getHost(), port, rest,
        path.startsWith("/") ? path.substring(1) : path, params.get("user"),
        params.get("password"));
    try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), kind.timeouts());
         Statement statement = connection.createStatement()) {
      statement.execute("SELECT 1");
    } catch (SQLException e) {
      throw new IllegalStateException(kind.env + "=" + url + " does not answer (" + e
          + "). Start that server, fix the URL, or unset " + kind.env + ".", e);
    }
    return db;
  }

  private static TestDatabase fresh(Kind kind, String host, int port) {
    String adminUrl = kind.urlPrefix + host + ":" + port + kind.adminPath;
    String name = FRESH_PREFIX + ProcessHandle.current().pid() + "_" + randomHex();
    Properties props = kind.timeouts();
    props.setProperty("user", kind.user);
    props.setProperty("password", "");
    try (Connection admin = DriverManager.getConnection(adminUrl, props);
         Statement statement = admin.createStatement()) {
      dropOrphans(kind, statement);
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(kind.title + " answers on " + host + ":" + port
          + " but a fresh database cannot be created as user " + kind.user + " (" + e + "). "
          + "Allow it, or set " + kind.env + "=" + kind.example + ".", e);
    }
    TestDatabase db = new TestDatabase(kind.name, kind.urlPrefix, host, port, "/" + name, name,
        kind.user, "");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(kind, adminUrl, props, db),
        "latchkey-testkit-drop-" + name));
    return db;
  }

  /** Drops fresh databases whose creating JVM is gone (it was killed before its hook ran). */
  private static void dropOrphans(Kind kind, Statement statement) throws SQLException {
    List<String> orphans = new ArrayList<>();
    try (ResultSet names = statement.executeQuery(kind.listDatabases)) {
      while (names.next()) {
        String name = names.getString(1);
        java.util.regex.Matcher ours = FRESH_NAME.matcher(name);
        // Only names this class makes: anything else is left alone (and never inlined in SQL).
        if (ours.matches() && ProcessHandle.of(Long.parseLong(ours.group(1))).isEmpty()) {
          orphans.add(name);
        }
      }
    }
    for (String orphan : orphans) {
      try {
        statement.execute(kind.dropSql(orphan));
      } catch (SQLException e) {
        // Another JVM may be dropping it at the same moment; the next run tries again.
      }
    }
  }

  private static void drop(Kind kind, String adminUrl, Properties props, TestDatabase db) {
    db.closePools();
    try (Connection admin = DriverManager.getConnection(adminUrl, props);
         Statement statement = admin.createStatement()) {
      if (kind == Kind.MARIADB) {
        // A test that left a transaction open must not hold the JVM's exit forever.
        statement.execute("SET SESSION lock_wait_timeout = 5");
      }
      statement.execute(kind.dropSql(db.databaseName()));
    } catch (SQLException e) {
      System.err.println("latchkey testkit: could not drop " + db + ": " + e);
    }
  }

  private static Map<String, String> queryParams(String rawQuery) {
    Map<String, String> params = new java.util.HashMap<>();
    if (rawQuery == null) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  private static String randomHex() {
    byte[] bytes = new byte[4];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The server kinds found over the network, with what differs between them. */
  enum Kind {
    POSTGRESQL("postgresql", "PostgreSQL", POSTGRES_URL_ENV, "jdbc:postgresql://", 5432,
        "postgres", "/postgres",
        "SELECT datname FROM pg_database WHERE datname LIKE 'latchkey\\_test\\_%'",
        "Install PostgreSQL (apt-get install postgresql) and start it "
            + "(pg_ctlcluster --skip-systemctl-redirect 15 main start)",
        "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=secret"),
    MARIADB("mariadb", "MariaDB", MARIADB_URL_ENV, "jdbc:mariadb://", 3306, "root", "/",
        "SELECT schema_name FROM information_schema.schemata "
            + "WHERE schema_name LIKE 'latchkey\\_test\\_%'",
        "Install MariaDB (apt-get install mariadb-server) and start it",
        "jdbc:mariadb://127.0.0.1:3306/test?user=root&password=secret");

    final String name;
    final String title;
    final String env;
    final String urlPrefix;
    final int port;
    final String user;
    final String adminPath;
    final String listDatabases;
    final String install;
    final String example;

    Kind(String name, String title, String env, String urlPrefix, int port, String user,
        String adminPath, String listDatabases, String install, String example) {
      this.name = name;
      this.title = title;
      this.env = env;
      this.urlPrefix = urlPrefix;
      this.port = port;
      this.user = user;
      this.adminPath = adminPath;
      this.listDatabases = listDatabases;
      this.install = install;
      this.example = example;
    }

    String dropSql(String database) {
      // Names come from FRESH_PREFIX plus digits and hex: safe to inline.
      return this == POSTGRESQL
          ? "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)"
          : "DROP DATABASE IF EXISTS " + database;
    }

    Properties timeouts() {
      Properties props = new Properties();
      if (this == POSTGRESQL) {
        props.setProperty("connectTimeout", "5");
      } else {
        props.setProperty("connectTimeout", "5000");
      }
      return props;
    }
  }
}
