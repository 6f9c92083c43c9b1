package dev.latchkey.testkit.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.testkit.internal.Ports;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class DatabasesTest {

  @Test
  void postgres_selectOne_answersInAFreshDatabase() throws SQLException {
    TestDatabase db = Databases.postgres();

    assertThat(db.kind()).isEqualTo("postgresql");
    assertThat(query(db.dataSource(), "SELECT 1")).isEqualTo("1");
    try (Connection connection = db.connect()) {
      assertThat(query(connection, "SELECT current_database()")).isEqualTo(db.databaseName());
    }
    if (System.getenv(Databases.POSTGRES_URL_ENV) == null) {
      assertThat(db.databaseName()).startsWith(Databases.FRESH_PREFIX);
    }
    assertThat(Databases.postgres()).as("resolved once per JVM").isSameAs(db);
  }

  @Test
  void mariadb_selectOne_answersInAFreshDatabase() throws SQLException {
    TestDatabase db = Databases.mariadb();

    assertThat(db.kind()).isEqualTo("mariadb");
    assertThat(query(db.dataSource(), "SELECT 1")).isEqualTo("1");
    try (Connection connection = db.connect()) {
      assertThat(query(connection, "SELECT DATABASE()")).isEqualTo(db.databaseName());
    }
    if (System.getenv(Databases.MARIADB_URL_ENV) == null) {
      assertThat(db.databaseName()).startsWith(Databases.FRESH_PREFIX);
    }
  }

  @Test
  void h2_selectOne_answersInRegularMode() throws SQLException {
    TestDatabase db = Databases.h2();

    assertThat(db.kind()).isEqualTo("h2");
    assertThat(db.jdbcUrl()).startsWith("jdbc:h2:mem:").contains("DB_CLOSE_DELAY=-1");
    assertThat(query(db.dataSource(), "SELECT 1")).isEqualTo("1");
    try (Connection connection = db.connect()) {
      assertThat(query(connection, "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
          + "WHERE SETTING_NAME = 'MODE'")).as("H2's own mode, no compatibility mode")
          .isEqualTo("REGULAR");
    }
    assertThatThrownBy(() -> db.jdbcUrlVia("127.0.0.1", 1))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(db::port).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void h2_tablesSurviveClosingTheLastConnection() throws SQLException {
    TestDatabase db = Databases.h2();
    try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS testkit_survives (id INT)");
    }
    try (Connection connection = db.connect()) {
      assertThat(query(connection, "SELECT COUNT(*) FROM testkit_survives")).isEqualTo("0");
    }
  }

  @Test
  void newDataSource_isASeparatePoolTheCallerCloses() throws SQLException {
    TestDatabase db = Databases.postgres();
    try (var pool = db.newDataSource(2)) {
      assertThat(pool).isNotSameAs(db.dataSource());
      assertThat(pool.getMaximumPoolSize()).isEqualTo(2);
      assertThat(query(pool, "SELECT 1")).isEqualTo("1");
    }
    assertThatThrownBy(() -> db.newDataSource(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
  }

  @Test
  void resolve_withPostgresUrlOnDeadPort_failsNamingTheUrl() {
    String url = "jdbc:postgresql://127.0.0.1:" + Ports.freeLoopbackPort() + "/test?user=postgres";

    assertThatThrownBy(() -> Databases.resolve(Databases.Kind.POSTGRESQL,
        Map.of(Databases.POSTGRES_URL_ENV, url), "127.0.0.1", 5432))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(Databases.POSTGRES_URL_ENV + "=" + url)
        .hasMessageContaining("does not answer");
  }

  @Test
  void resolve_withMariadbUrlOnDeadPort_failsNamingTheUrl() {
    String url = "jdbc:mariadb://127.0.0.1:" + Ports.freeLoopbackPort() + "/test?user=root";

    assertThatThrownBy(() -> Databases.resolve(Databases.Kind.MARIADB,
        Map.of(Databases.MARIADB_URL_ENV, url), "127.0.0.1", 3306))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(Databases.MARIADB_URL_ENV + "=" + url);
  }

  @Test
  void resolve_withLivePostgresUrl_usesItWithItsUser() throws SQLException {
    String url = "jdbc:postgresql://127.0.0.1:5432/" + Databases.postgres().databaseName()
        + "?user=postgres&password=";
    TestDatabase db = Databases.resolve(Databases.Kind.POSTGRESQL,
        Map.of(Databases.POSTGRES_URL_ENV, url), "127.0.0.1", 1);

    assertThat(db.jdbcUrl()).isEqualTo(url);
    assertThat(db.user()).isEqualTo("postgres");
    assertThat(db.host()).isEqualTo("127.0.0.1");
    assertThat(db.port()).isEqualTo(5432);
    assertThat(db.jdbcUrlVia("localhost", 15432)).isEqualTo(
        "jdbc:postgresql://localhost:15432/" + db.databaseName() + "?user=postgres&password=");
    try (Connection connection = db.connect()) {
      assertThat(query(connection, "SELECT 1")).isEqualTo("1");
    }
  }

  @Test
  void resolve_withNothingAvailable_failsNamingWhatToInstall() {
    int dead = Ports.freeLoopbackPort();
    Map<String, String> env = Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + dead);

    assertThatThrownBy(() -> Databases.resolve(Databases.Kind.POSTGRESQL, env, "127.0.0.1", dead))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apt-get install postgresql")
        .hasMessageContaining(Databases.POSTGRES_URL_ENV);
    assertThatThrownBy(() -> Databases.resolve(Databases.Kind.MARIADB, env, "127.0.0.1", dead))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apt-get install mariadb-server")
        .hasMessageContaining(Databases.MARIADB_URL_ENV);
  }

  static String query(DataSource dataSource, String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      return query(connection, sql);
    }
  }

  static String query(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).as("a row from " + sql).isTrue();
      return rows.getString(1);
    }
  }
}
