package dev.latchkey.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.latchkey.testkit.internal.Resp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisSentinelTest {

  @Test
  void startSentinel_withNoSentinel_isRejectedNamingTheCount() {
    assertThatThrownBy(() -> RedisServers.startSentinel(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
  }

  @Test
  void failover_promotesTheReplica_demotesTheOldMaster_andCloseStopsEveryProcess()
      throws IOException {
    List<PrivateRedis> processes = new ArrayList<>();
    try (RedisSentinel sentinel = RedisServers.startSentinel(1)) {
      processes.addAll(sentinel.servers());
      processes.addAll(sentinel.sentinels());
      PrivateRedis master = sentinel.servers().get(0);
      PrivateRedis replica = sentinel.servers().get(1);
      assertThat(sentinel.uri()).isEqualTo("redis-sentinel://127.0.0.1:"
          + sentinel.sentinelPorts().get(0) + "#" + sentinel.masterName());
      assertThat(sentinel.currentMaster()).isSameAs(master);

      call(master, "SET", "latchkey:testkit:sentinel", "before");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(call(replica, "GET", "latchkey:testkit:sentinel"))
              .as("the replica replicates the master").isEqualTo("before"));

      PrivateRedis promoted = sentinel.failover();

      assertThat(promoted).as("the only replica is promoted").isSameAs(replica);
      assertThat(sentinel.currentMaster()).isSameAs(replica);
      assertThat(String.valueOf(call(replica, "INFO", "replication"))).contains("role:master");
      assertThat(String.valueOf(call(master, "INFO", "replication")))
          .as("the old master is demoted once the failover returns")
          .contains("role:slave", "master_port:" + replica.port());
      assertThat(call(replica, "SET", "latchkey:testkit:sentinel", "after")).isEqualTo("OK");
      assertThatThrownBy(() -> call(master, "SET", "latchkey:testkit:sentinel", "stale"))
          .as("the demoted master refuses writes").hasMessageContaining("READONLY");
    }
    for (PrivateRedis process : processes) {
      assertThat(process.isRunning()).as("%s after close", process).isFalse();
      assertThat(Resp.pings(process.host(), process.port(), 500)).as("%s after close", process)
          .isFalse();
    }
  }

  private static Object call(PrivateRedis server, String... command) throws IOException {
    return Resp.call(server.host(), server.port(), 2_000, command);
  }
}
