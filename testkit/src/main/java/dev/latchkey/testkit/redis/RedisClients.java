package dev.latchkey.testkit.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.RedisSentinelClient;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lettuce and Jedis clients for tests of the servers {@link RedisServers} starts: short command
 * timeouts so that faults show quickly, Jedis pools large enough for the lock contract (every
 * provider's subscription holds a pooled connection). Jedis is an optional dependency of the
 * testkit: a test module that uses the Jedis clients brings it.
 */
public final class RedisClients {

    /** The command timeout of the clients that take none. */
    public static final Duration TIMEOUT = Duration.ofSeconds(3);

    private RedisClients() {
    }

    /** A Lettuce client of {@code uri} whose commands time out after {@code timeout}. */
    public static RedisClient lettuce(String uri, Duration timeout) {
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(timeout);
        RedisClient client = RedisClient.create(redisUri);
        client.setOptions(ClientOptions.builder().timeoutOptions(TimeoutOptions.enabled(timeout)).build());
        return client;
    }

    /** A Lettuce Cluster client seeded with {@code uris}. */
    public static RedisClusterClient lettuceCluster(List<String> uris) {
        List<RedisURI> seeds = uris.stream().map(u -> {
            RedisURI r = RedisURI.create(u);
            r.setTimeout(TIMEOUT);
            return r;
        }).toList();
        RedisClusterClient client = RedisClusterClient.create(seeds);
        client.setOptions(ClusterClientOptions.builder().timeoutOptions(TimeoutOptions.enabled(TIMEOUT)).build());
        return client;
    }

    /** A pooled Jedis client of {@code uri} whose commands time out after {@code timeout}. */
    public static JedisPooled jedis(String uri, Duration timeout) {
        URI u = URI.create(uri);
        JedisClientConfig config = DefaultJedisClientConfig.builder()
                .timeoutMillis((int) timeout.toMillis()).build();
        return new JedisPooled(pool(), new HostAndPort(u.getHost(), u.getPort()), config);
    }

    /** A Jedis Cluster client seeded with {@code uris}. */
    public static JedisCluster jedisCluster(List<String> uris) {
        Set<HostAndPort> nodes = new LinkedHashSet<>();
        for (String uri : uris) {
            URI u = URI.create(uri);
            nodes.add(new HostAndPort(u.getHost(), u.getPort()));
        }
        JedisClientConfig config = DefaultJedisClientConfig.builder().timeoutMillis((int) TIMEOUT.toMillis()).build();
        return new JedisCluster(nodes, config, 5, pool());
    }

    /** A Jedis client that finds the master through the sentinels on {@code host} and follows failovers. */
    public static RedisSentinelClient jedisSentinel(String masterName, String host, List<Integer> sentinelPorts) {
        Set<HostAndPort> sentinels = new LinkedHashSet<>();
        for (int port : sentinelPorts) {
            sentinels.add(new HostAndPort(host, port));
        }
        JedisClientConfig config = DefaultJedisClientConfig.builder().timeoutMillis((int) TIMEOUT.toMillis()).build();
        return RedisSentinelClient.builder().masterName(masterName).sentinels(sentinels).clientConfig(config)
                .sentinelClientConfig(config).poolConfig(pool()).build();
    }

    /** Every provider's subscription holds a pooled connection: room for the contract's providers. */
    private static GenericObjectPoolConfig<Connection> pool() {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(128);
        pool.setMaxIdle(128);
        pool.setMaxWait(Duration.ofSeconds(5));
        pool.setJmxEnabled(false);
        return pool;
    }

    /** Shuts a Lettuce client down without a quiet period. */
    public static void shutdown(io.lettuce.core.AbstractRedisClient client) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
