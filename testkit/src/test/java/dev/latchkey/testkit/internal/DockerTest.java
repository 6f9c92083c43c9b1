package dev.latchkey.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerTest {

  @Test
  void engineAnswers_withNothingListening_isFalse() {
    int dead = Ports.freeLoopbackPort();
    assertThat(Docker.engineAnswers(Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + dead))).isFalse();
    assertThat(Docker.engineAnswers(Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock")))
        .isFalse();
  }

  @Test
  void engineAnswers_withARedisInsteadOfAnEngine_isFalse() throws Exception {
    try (dev.latchkey.testkit.redis.PrivateRedis redis =
             dev.latchkey.testkit.redis.PrivateRedis.start()) {
      assertThat(Docker.engineAnswers(Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + redis.port())))
          .isFalse();
    }
  }
}
