/**
 * The Redis token lock: {@code RedisLockProvider} on Lettuce or Jedis, standalone, Sentinel and Cluster.
 */
package dev.latchkey.lock.redis;
