package dev.latchkey.testkit.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import java.time.Duration;

/** Lettuce clients with short timeouts and no reconnects, so faults show at once. */
public final class Lettuce {

  private Lettuce() {}

  /** A standalone client on {@code uri} whose commands time out after {@code timeout}. */
  public static RedisClient client(String uri, Duration timeout) {
    RedisURI redisUri = RedisURI.create(uri);
    redisUri.setTimeout(timeout);
    RedisClient client = RedisClient.create(redisUri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(false)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .build());
    return client;
  }

  /** Shuts a client down without the default two-second quiet period. */
  public static void shutdown(RedisClient client) {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
