-- release.lua: compare-and-delete, then hand the lock to the oldest live waiter, in one round trip.
-- Only the holder's token deletes the key. If waiters are queued, the first one whose
-- registration is still alive gets the lock, and one PUBLISH on its provider's channel wakes
-- exactly that waiter. How it gets the lock depends on how it registered (see acquire.lua):
--   'g' (grant): for its full lease with a new fencing token, published as "<token> <fence>"; the
--       waiter uses it without another round trip. Only when PUBLISH reached a subscriber: a
--       provider whose connection is gone (a dead process) is skipped, so it never sits on a lock.
--   'c' (claim): as a short claim (PX = claim time), published as "<token>"; the waiter confirms
--       with acquire.lua. Used where PUBLISH cannot tell (Cluster) and by multi-lock waiters.
-- Stale registrations met on the way are dropped.
--
-- KEYS[1] lock key
-- KEYS[2] fencing counter of the lock
-- KEYS[3] hand-off queue (see acquire.lua)
-- KEYS[4] waiter registrations (see acquire.lua)
-- ARGV[1] owner token
-- ARGV[2] "1" when a waiter gives up: also withdraw it from the queue (and pass on what it got)
-- ARGV[3] time to live of the fencing counter, ms
-- Returns 1 if this owner held the lock (now released or handed on), 0 otherwise.
if ARGV[2] == '1' then
  redis.call('zrem', KEYS[3], ARGV[1])
  redis.call('hdel', KEYS[4], ARGV[1])
end
if redis.call('get', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('del', KEYS[1])
local nowUs = nil
for _ = 1, 16 do
  local head = redis.call('zrange', KEYS[3], 0, 0)[1]
  if head == nil then
    break
  end
  redis.call('zrem', KEYS[3], head)
  local entry = redis.call('hget', KEYS[4], head)
  redis.call('hdel', KEYS[4], head)
  if entry then
    if nowUs == nil then
      local t = redis.call('time')
      nowUs = tonumber(t[1]) * 1000000 + tonumber(t[2])
    end
    local deadline, px, mode, channel = string.match(entry, '^(%d+) (%d+) ([cg]) (.+)$')
    if deadline and tonumber(deadline) > math.floor(nowUs / 1000) then
      redis.call('set', KEYS[1], head, 'px', px)
      if mode == 'c' then
        redis.call('publish', channel, head)
        return 1
      end
      -- As in acquire.lua: never below the server's clock, strictly above every earlier token.
      local last = tonumber(redis.call('get', KEYS[2]))
      local token
      if last == nil or last < nowUs then
        token = nowUs
        redis.call('set', KEYS[2], string.format('%.0f', nowUs), 'px', ARGV[3])
      else
        token = redis.call('incr', KEYS[2])
        redis.call('pexpire', KEYS[2], ARGV[3])
      end
      if redis.call('publish', channel, head .. ' ' .. string.format('%.0f', token)) > 0 then
        return 1
      end
      -- Nobody listens on that channel any more: take the grant back (the token is simply skipped).
      redis.call('del', KEYS[1])
    end
  end
end
return 1
