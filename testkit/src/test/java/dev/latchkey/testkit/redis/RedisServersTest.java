package dev.latchkey.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.testkit.internal.Ports;
import dev.latchkey.testkit.internal.Resp;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisServersTest {

  @Test
  void sharedUri_answersPing() {
    String uri = RedisServers.sharedUri();
    RedisClient client = Lettuce.client(uri, Duration.ofSeconds(5));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().ping()).isEqualTo("PONG");
    } finally {
      Lettuce.shutdown(client);
    }
    assertThat(RedisServers.sharedUri()).as("resolved once per JVM").isEqualTo(uri);
  }

  @Test
  void resolve_withRedisUrlOnDeadPort_failsNamingTheUrl() {
    String url = "redis://127.0.0.1:" + Ports.freeLoopbackPort();

    assertThatThrownBy(() -> RedisServers.resolve(
        Map.of(RedisServers.REDIS_URL_ENV, url, "PATH", System.getenv("PATH")), "127.0.0.1", 6379))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(RedisServers.REDIS_URL_ENV + "=" + url)
        .hasMessageContaining("does not answer");
  }

  @Test
  void resolve_withLiveRedisUrl_returnsItUnchanged() {
    try (PrivateRedis redis = PrivateRedis.start()) {
      assertThat(RedisServers.resolve(Map.of(RedisServers.REDIS_URL_ENV, redis.uri()),
          "127.0.0.1", 1)).isEqualTo(redis.uri());
    }
  }

  @Test
  void resolve_withoutRedisServerOnPath_usesTheLocalService() {
    try (PrivateRedis local = PrivateRedis.start()) {
      assertThat(RedisServers.resolve(Map.of("PATH", ""), local.host(), local.port()))
          .isEqualTo("redis://127.0.0.1:" + local.port());
    }
  }

  @Test
  void resolve_withNothingAvailable_failsNamingWhatToInstall() {
    int dead = Ports.freeLoopbackPort();
    Map<String, String> env = Map.of("PATH", "", "DOCKER_HOST", "tcp://127.0.0.1:" + dead);

    assertThatThrownBy(() -> RedisServers.resolve(env, "127.0.0.1", dead))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apt-get install redis-server")
        .hasMessageContaining(RedisServers.REDIS_URL_ENV);
  }

  @Test
  void startMasters_startsIndependentServers() throws Exception {
    List<PrivateRedis> masters = RedisServers.startMasters(3);
    try {
      assertThat(masters).extracting(PrivateRedis::port).doesNotHaveDuplicates();
      PrivateRedis first = masters.get(0);
      Resp.call(first.host(), first.port(), 2000, "SET", "latchkey:testkit:only-first", "1");
      for (PrivateRedis other : masters.subList(1, masters.size())) {
        assertThat(Resp.call(other.host(), other.port(), 2000, "GET",
            "latchkey:testkit:only-first")).as("masters share no data").isNull();
      }
    } finally {
      masters.forEach(PrivateRedis::close);
    }
  }

  @Test
  void startMasters_withZero_failsAtOnce() {
    assertThatThrownBy(() -> RedisServers.startMasters(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
  }

  @Test
  void startCluster_withTwoMasters_failsAtOnce() {
    assertThatThrownBy(() -> RedisServers.startCluster(2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2");
  }
}
