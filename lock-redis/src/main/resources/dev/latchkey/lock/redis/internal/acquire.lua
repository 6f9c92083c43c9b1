-- acquire.lua: one attempt to take a lock, in one round trip.
-- The lock is free, or was handed to this owner by a release (a claim, or a grant it has not seen
-- yet): take it for the full lease and advance the fencing counter. Otherwise report the holder's
-- remaining lease and, for a waiter, queue it so that a release hands the lock straight to it.
--
-- KEYS[1] lock key: value = holder's owner token, PX = lease
-- KEYS[2] fencing counter of the lock
-- KEYS[3] hand-off queue: sorted set, owner token -> arrival time (server microseconds)
-- KEYS[4] waiter registrations: hash, owner token -> "deadlineMs px mode channel", where mode 'g'
--         means a release grants this waiter the lock for px (its lease) with a fencing token, and
--         'c' means a release leaves it a claim of px (the claim time) to confirm (see release.lua)
-- ARGV[1] owner token
-- ARGV[2] lease time, ms
-- ARGV[3] time to live of the fencing counter, ms
-- ARGV[4] "0" if the caller is not a waiter; else the mode it queues in: "g" or "c" when an earlier
--         attempt may have registered it, "G" or "C" for its first attempt (nothing to clean up)
-- ARGV[5] time to live of a waiter registration, ms (a waiter renews it with every attempt)
-- ARGV[6] how long a hand-off claim waits for this waiter to confirm it, ms
-- ARGV[7] pub/sub channel that reaches this waiter's provider
-- Returns {1, fencing token} when granted, {0, holder's remaining lease in ms} when held, and for a
-- waiter {0, remaining, floor}: every grant a later release makes is above floor (the fencing
-- counter, or the server's clock in microseconds when there is none), every earlier one is not.
local waiting = ARGV[4] ~= '0'
local mode = string.lower(ARGV[4])
local took = redis.call('set', KEYS[1], ARGV[1], 'nx', 'px', ARGV[2])
if not took and redis.call('get', KEYS[1]) == ARGV[1] then
  took = redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[2])
end
if took then
  -- The counter goes up by one per grant, and jumps to the server's clock in microseconds when it
  -- has fallen more than a millisecond behind it (or is missing: a restart without persistence, a
  -- failover that lost the latest writes, its expiry), so tokens keep increasing across those too.
  local token = redis.call('incr', KEYS[2])
  local t = redis.call('time')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  if token < now - 1000 then
    token = now
    redis.call('set', KEYS[2], string.format('%.0f', now), 'px', ARGV[3])
  end
  if waiting and mode == ARGV[4] and redis.call('hdel', KEYS[4], ARGV[1]) == 1 then
    redis.call('zrem', KEYS[3], ARGV[1])
  end
  return {1, token}
end
local remaining = redis.call('pttl', KEYS[1])
if waiting then
  local t = redis.call('time')
  local nowUs = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local ttl = tonumber(ARGV[5])
  -- NX keeps a waiter's place in line (and its arrival time) when it renews its registration.
  redis.call('zadd', KEYS[3], 'NX', string.format('%.0f', nowUs), ARGV[1])
  local px = mode == 'g' and ARGV[2] or ARGV[6]
  redis.call('hset', KEYS[4], ARGV[1],
      string.format('%.0f', math.floor(nowUs / 1000) + ttl) .. ' ' .. px .. ' ' .. mode .. ' ' .. ARGV[7])
  if redis.call('pttl', KEYS[3]) < ttl then redis.call('pexpire', KEYS[3], ttl) end
  if redis.call('pttl', KEYS[4]) < ttl then redis.call('pexpire', KEYS[4], ttl) end
  local last = redis.call('get', KEYS[2])
  return {0, remaining, last or string.format('%.0f', nowUs)}
end
return {0, remaining}
