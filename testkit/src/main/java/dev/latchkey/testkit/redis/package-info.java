/**
 * Redis servers for tests: the shared server ({@link dev.latchkey.testkit.redis.RedisServers}),
 * private processes that fault tests stop, kill, pause and restart
 * ({@link dev.latchkey.testkit.redis.PrivateRedis}), independent masters, a real Redis Cluster
 * ({@link dev.latchkey.testkit.redis.RedisCluster}) and a Sentinel deployment with forced failover
 * ({@link dev.latchkey.testkit.redis.RedisSentinel}).
 */
package dev.latchkey.testkit.redis;
