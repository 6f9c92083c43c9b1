package dev.latchkey.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisClusterTest {

  @Test
  void cluster_ofThreeMasters_answersOnAKeyInEachSlotRange() {
    try (RedisCluster cluster = RedisServers.startCluster(3)) {
      assertThat(cluster.nodes()).hasSize(3);
      List<RedisURI> seeds = cluster.uris().stream().map(RedisURI::create).toList();
      RedisClusterClient client = RedisClusterClient.create(seeds);
      client.setDefaultTimeout(Duration.ofSeconds(5));
      try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
        List<RedisClusterNode> masters = client.getPartitions().stream()
            .filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM)).toList();
        assertThat(masters).hasSize(3);

        // One key per master, found by its hash slot, so every slot range is exercised.
        Map<String, String> keyPerNode = new HashMap<>();
        for (int i = 0; keyPerNode.size() < masters.size() && i < 100_000; i++) {
          String key = "latchkey:testkit:cluster:" + i;
          RedisClusterNode owner = client.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
          keyPerNode.putIfAbsent(owner.getNodeId(), key);
        }
        assertThat(keyPerNode).hasSize(3);
        for (String key : keyPerNode.values()) {
          assertThat(connection.sync().set(key, "v-" + key)).isEqualTo("OK");
          assertThat(connection.sync().get(key)).isEqualTo("v-" + key);
        }
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
  }
}
