package dev.latchkey.testkit.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.latchkey.testkit.db.Databases;
import dev.latchkey.testkit.db.TestDatabase;
import dev.latchkey.testkit.redis.Lettuce;
import dev.latchkey.testkit.redis.PrivateRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaultProxyTest {

  private static PrivateRedis redis;

  @BeforeAll
  static void startRedis() {
    redis = PrivateRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Test
  void proxy_pass_forwardsCommandsAndCountsThem() {
    RespCommandCounter counter = new RespCommandCounter();
    try (FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
      proxy.onClientBytes(counter);
      RedisClient client = Lettuce.client(uri(proxy), Duration.ofSeconds(5));
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        counter.reset();
        long before = proxy.bytesFromClients();
        assertThat(connection.sync().set("latchkey:testkit:proxy", "1")).isEqualTo("OK");
        assertThat(connection.sync().get("latchkey:testkit:proxy")).isEqualTo("1");

        assertThat(counter.commandNames()).containsExactly("SET", "GET");
        assertThat(proxy.bytesFromClients()).isGreaterThan(before);
        assertThat(proxy.connectionsAccepted()).isEqualTo(1);
      } finally {
        Lettuce.shutdown(client);
      }
    }
  }

  @Test
  void proxy_latency_stillForwards() {
    try (FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
      proxy.latency(Duration.ofMillis(20));
      RedisClient client = Lettuce.client(uri(proxy), Duration.ofSeconds(5));
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        assertThat(connection.sync().ping()).isEqualTo("PONG");
      } finally {
        Lettuce.shutdown(client);
      }
    }
  }

  @Test
  void proxy_cutAll_breaksALiveLettuceConnectionAndAcceptsNewOnes() {
    try (FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
      RedisClient client = Lettuce.client(uri(proxy), Duration.ofSeconds(5));
      try {
        StatefulRedisConnection<String, String> connection = client.connect();
        assertThat(connection.sync().ping()).isEqualTo("PONG");

        proxy.cutAll();
        await().atMost(Duration.ofSeconds(10)).until(() -> !connection.isOpen());
        assertThatThrownBy(() -> connection.sync().ping()).isInstanceOf(RedisException.class);
        connection.close();

        try (StatefulRedisConnection<String, String> fresh = client.connect()) {
          assertThat(fresh.sync().ping()).isEqualTo("PONG");
        }
        assertThat(proxy.connectionsAccepted()).isEqualTo(2);
      } finally {
        Lettuce.shutdown(client);
      }
    }
  }

  @Test
  void proxy_cutAll_breaksALiveJdbcConnection() throws SQLException {
    TestDatabase db = Databases.postgres();
    try (FaultProxy proxy = FaultProxy.start(db.host(), db.port());
         Connection connection = java.sql.DriverManager.getConnection(
             db.jdbcUrlVia(proxy.host(), proxy.port()), db.user(), db.password())) {
      assertThat(selectOne(connection)).isEqualTo(1);

      proxy.cutAll();

      assertThatThrownBy(() -> selectOne(connection)).isInstanceOf(SQLException.class);
    }
  }

  @Test
  void proxy_blackhole_makesACommandTimeOutUntilPass() {
    try (FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
      RedisClient client = Lettuce.client(uri(proxy), Duration.ofMillis(500));
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        assertThat(connection.sync().ping()).isEqualTo("PONG");

        proxy.blackhole();
        assertThatThrownBy(() -> connection.sync().ping())
            .isInstanceOf(RedisCommandTimeoutException.class);
        assertThat(connection.isOpen()).as("a black hole keeps the connection").isTrue();

        proxy.pass();
        assertThat(connection.sync().set("latchkey:testkit:blackhole", "1")).isEqualTo("OK");
      } finally {
        Lettuce.shutdown(client);
      }
    }
  }

  @Test
  void start_withBadPort_failsAtOnce() {
    assertThatThrownBy(() -> FaultProxy.start("127.0.0.1", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    assertThatThrownBy(() -> FaultProxy.start(null, 1))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("targetHost");
  }

  private static int selectOne(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT 1")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static String uri(FaultProxy proxy) {
    return "redis://" + proxy.host() + ":" + proxy.port();
  }
}
