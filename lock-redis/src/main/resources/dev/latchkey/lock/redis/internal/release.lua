-- release.lua: compare-and-delete, then hand the lock to the oldest live waiter, in one round trip.
-- Only the holder's token deletes the key. If waiters are queued, the first one whose
-- registration is still alive gets the lock as a short claim (PX = its claim time) and one
-- PUBLISH naming its owner token wakes exactly that waiter, which confirms with acquire.lua.
-- Stale registrations met on the way are dropped.
--
-- KEYS[1] lock key
-- KEYS[2] hand-off queue (see acquire.lua)
-- KEYS[3] waiter registrations (see acquire.lua)
-- ARGV[1] owner token
-- ARGV[2] "1" when a waiter gives up: also withdraw it from the queue (and pass on a claim it got)
-- Returns 1 if this owner held the lock (now released or handed on), 0 otherwise.
if ARGV[2] == '1' then
  redis.call('zrem', KEYS[2], ARGV[1])
  redis.call('hdel', KEYS[3], ARGV[1])
end
if redis.call('get', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('del', KEYS[1])
local nowMs = nil
for _ = 1, 16 do
  local head = redis.call('zrange', KEYS[2], 0, 0)[1]
  if head == nil then
    break
  end
  redis.call('zrem', KEYS[2], head)
  local entry = redis.call('hget', KEYS[3], head)
  redis.call('hdel', KEYS[3], head)
  if entry then
    if nowMs == nil then
      local t = redis.call('time')
      nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    end
    local deadline, claim, channel = string.match(entry, '^(%d+) (%d+) (.+)$')
    if deadline and tonumber(deadline) > nowMs then
      redis.call('set', KEYS[1], head, 'px', claim)
      redis.call('publish', channel, head)
      return 1
    end
  end
end
return 1
