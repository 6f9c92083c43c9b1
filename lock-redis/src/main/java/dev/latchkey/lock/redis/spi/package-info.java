/**
 * The Redis adapter layer shared by Latchkey's Redis modules (the lock and the idempotency store):
 * {@link dev.latchkey.lock.redis.spi.RedisConnector} runs Lua scripts by SHA with a transparent
 * {@code NOSCRIPT} fallback and carries pub/sub on Lettuce or Jedis;
 * {@link dev.latchkey.lock.redis.spi.RedisScript} is a {@code .lua} resource with its SHA-1. Client
 * failures arrive as {@link dev.latchkey.lock.LockBackendException}. Applications do not need this package.
 */
package dev.latchkey.lock.redis.spi;
