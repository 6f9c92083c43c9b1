package dev.latchkey.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.latchkey.testkit.internal.Processes;
import dev.latchkey.testkit.internal.Resp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProcessHygieneTest {

  @Test
  void privateRedis_ofAJvmKilledWithSigkill_dies() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        PrivateRedisChildJvm.class.getName())
        .redirectErrorStream(true)
        .start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line;
      Matcher started = null;
      while ((line = out.readLine()) != null) {
        Matcher m = Pattern.compile("port=(\\d+) pid=(\\d+) dir=(.+)").matcher(line);
        if (m.find()) {
          started = m;
          break;
        }
      }
      assertThat(started).as("the child JVM reports its Redis").isNotNull();
      int port = Integer.parseInt(started.group(1));
      long redisPid = Long.parseLong(started.group(2));
      assertThat(Resp.pings("127.0.0.1", port, 2000)).isTrue();

      // SIGKILL: no shutdown hook runs in the child; only the watchdog can clean up.
      child.destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(
          () -> assertThat(ProcessHandle.of(redisPid).map(ProcessHandle::isAlive).orElse(false))
              .as("redis-server %d must die with the JVM that started it", redisPid).isFalse());
      assertThat(Resp.pings("127.0.0.1", port, 500)).isFalse();
      // No hook ran in the child to delete the server's directory: the test does.
      Processes.deleteNow(Path.of(started.group(3)));
    } finally {
      child.destroyForcibly();
    }
  }
}
