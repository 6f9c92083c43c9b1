-- release.lua: compare-and-delete, then hand the lock to the oldest live waiter, in one round trip.
-- Only the holder's token deletes the key. Then, if the oldest queued waiter has waited at least
-- the hand-off delay, the first one whose registration is still alive gets the lock, and one
-- PUBLISH on its provider's channel wakes exactly that waiter. While every waiter is younger than
-- the delay the lock is left free for whoever asks first (mostly the releaser itself, asking again
-- at once); the releaser's provider runs the 'w' mode below if it does not take it back soon.
-- How a waiter gets the lock depends on how it registered (see acquire.lua):
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
-- ARGV[2] "0" release; "1" a waiter gives up: withdraw it from the queue, and pass on at once what
--         it got meanwhile; "p" release without looking at the queue (the releaser knows that every
--         waiter is younger than the delay); "w" wake: if the lock is free, hand it to the oldest
--         live waiter whatever its age (ARGV[1] is not used)
-- ARGV[3] time to live of the fencing counter, ms
-- ARGV[4] hand-off delay, microseconds ("0": hand on at every release)
-- Mode "p" reads KEYS[1], ARGV[1] and ARGV[2] only, and is called with just those.
-- Returns 0 if this owner did not hold the lock ("w": nobody was handed it), 1 if it held it (now
-- released, and handed on when a waiter was due), and {2, ms} if it released it and left it free
-- while waiters younger than the delay stay queued, the oldest reaching the delay in ms.
local mode = ARGV[2]
if mode == '1' then
  redis.call('zrem', KEYS[3], ARGV[1])
  redis.call('hdel', KEYS[4], ARGV[1])
end
if mode == 'w' then
  if redis.call('exists', KEYS[1]) == 1 then
    return 0
  end
else
  if redis.call('get', KEYS[1]) ~= ARGV[1] then
    return 0
  end
  redis.call('del', KEYS[1])
  if mode == 'p' then
    return 1
  end
end
local delay = mode == '0' and tonumber(ARGV[4]) or 0
local nowUs = nil
for _ = 1, 16 do
  local first = redis.call('zrange', KEYS[3], 0, 0, 'WITHSCORES')
  local head = first[1]
  if head == nil then
    break
  end
  if nowUs == nil then
    local t = redis.call('time')
    nowUs = tonumber(t[1]) * 1000000 + tonumber(t[2])
  end
  local young = delay - (nowUs - tonumber(first[2]))
  if young > 0 then
    return {2, math.ceil(young / 1000)}
  end
  redis.call('zrem', KEYS[3], head)
  local entry = redis.call('hget', KEYS[4], head)
  redis.call('hdel', KEYS[4], head)
  if entry then
    local deadline, px, wmode, channel = string.match(entry, '^(%d+) (%d+) ([cg]) (.+)$')
    if deadline and tonumber(deadline) > math.floor(nowUs / 1000) then
      redis.call('set', KEYS[1], head, 'px', px)
      if wmode == 'c' then
        redis.call('publish', channel, head)
        return 1
      end
      -- As in acquire.lua: one up per grant, and up to the clock when more than 1 ms behind it.
      local token = redis.call('incr', KEYS[2])
      if token < nowUs - 1000 then
        token = nowUs
        redis.call('set', KEYS[2], string.format('%.0f', nowUs), 'px', ARGV[3])
      end
      if redis.call('publish', channel, head .. ' ' .. string.format('%.0f', token)) > 0 then
        return 1
      end
      -- Nobody listens on that channel any more: take the grant back (the token is simply skipped).
      redis.call('del', KEYS[1])
    end
  end
end
if mode == 'w' then
  return 0
end
return 1
