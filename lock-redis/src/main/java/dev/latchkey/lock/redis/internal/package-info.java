/**
 * The Redis lock's implementation: the backend, key layout, Lua scripts and client adapters.
 * Internal: it may change without notice in any release.
 */
package dev.latchkey.lock.redis.internal;
