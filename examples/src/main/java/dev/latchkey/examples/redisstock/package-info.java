/**
 * Seed 000: separate OS processes racing on a Redis stock key, then under the Redis token lock.
 */
package dev.latchkey.examples.redisstock;
