package dev.latchkey.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.testkit.internal.Resp;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrivateRedisTest {

  private PrivateRedis redis;

  @BeforeEach
  void startRedis() {
    redis = PrivateRedis.start();
  }

  @AfterEach
  void closeRedis() {
    redis.close();
  }

  @Test
  void privateRedis_start_answersPingOnLoopback() {
    RedisClient client = Lettuce.client(redis.uri(), Duration.ofSeconds(5));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().ping()).isEqualTo("PONG");
      assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
      assertThat(redis.isRunning()).isTrue();
      assertThat(connection.sync().configGet("save")).containsEntry("save", "");
      assertThat(connection.sync().configGet("appendonly")).containsEntry("appendonly", "no");
    } finally {
      Lettuce.shutdown(client);
    }
  }

  @Test
  void privateRedis_pauseAndResume_blocksThenAnswers() {
    RedisClient client = Lettuce.client(redis.uri(), Duration.ofMillis(500));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().ping()).isEqualTo("PONG");

      redis.pause();
      assertThat(redis.isRunning()).as("a paused server is still a live process").isTrue();
      assertThatThrownBy(() -> connection.sync().ping())
          .as("a paused server must not answer")
          .isInstanceOf(RedisCommandTimeoutException.class);

      redis.resume();
      // The late PONG of the timed-out command is consumed by it; the next one answers normally.
      assertThat(connection.sync().set("latchkey:testkit:resume", "1")).isEqualTo("OK");
      assertThat(connection.sync().get("latchkey:testkit:resume")).isEqualTo("1");
    } finally {
      Lettuce.shutdown(client);
    }
  }

  @Test
  void privateRedis_killThenRestart_answersOnSamePortWithEmptyData() throws Exception {
    int port = redis.port();
    Resp.call(redis.host(), port, 2000, "SET", "latchkey:testkit:before", "1");
    long oldPid = redis.pid();

    redis.kill();
    assertThat(redis.isRunning()).isFalse();
    assertThat(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive).orElse(false))
        .as("SIGKILL ends the process").isFalse();
    assertThat(Resp.pings(redis.host(), port, 500)).as("nothing answers after kill").isFalse();

    redis.restart();
    assertThat(redis.port()).isEqualTo(port);
    assertThat(redis.pid()).isNotEqualTo(oldPid);
    assertThat(Resp.pings(redis.host(), port, 2000)).isTrue();
    assertThat(Resp.call(redis.host(), port, 2000, "GET", "latchkey:testkit:before"))
        .as("a restart without persistence starts empty").isNull();
  }

  @Test
  void privateRedis_stop_endsProcessAndRestartBringsItBack() {
    redis.stop();
    assertThat(redis.isRunning()).isFalse();
    assertThat(Resp.pings(redis.host(), redis.port(), 500)).isFalse();
    assertThatThrownBy(redis::pause).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not running");

    redis.restart();
    assertThat(Resp.pings(redis.host(), redis.port(), 2000)).isTrue();
  }

  @Test
  void privateRedis_close_isIdempotentAndFinal() {
    redis.close();
    redis.close();
    assertThat(redis.isRunning()).isFalse();
    assertThatThrownBy(redis::restart).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
