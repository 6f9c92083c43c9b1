-- acquire_all.lua: one all-or-nothing attempt over several locks of one slot, in one round trip.
-- Every lock must be free or handed to this owner; then all are taken, each with its own fencing
-- token. Otherwise nothing is taken, a hand-off claim this owner got on another name of the set
-- is passed on (so a blocked waiter never sits on a lock it cannot use; see release.lua for how a
-- lock is passed on to the next waiter), and a waiter is queued
-- on the blocking name when that is the name it listens on.
--
-- KEYS[4i+1..4i+4] for the i-th name (i from 0): lock key, fencing counter, hand-off queue,
--                  waiter registrations (see acquire.lua)
-- ARGV[1] owner token
-- ARGV[2] lease time, ms
-- ARGV[3] time to live of the fencing counters, ms
-- ARGV[4] 1-based index of the name the caller waits on and may be queued for, "0" for none
-- ARGV[5] time to live of a waiter registration, ms
-- ARGV[6] how long a hand-off claim waits for this waiter to confirm it, ms (a multi-lock waiter
--         always queues for a claim: a grant of one name is of no use to it alone)
-- ARGV[7] pub/sub channel that reaches this waiter's provider
-- Returns {1, token1, ..., tokenN} when granted, {0, remaining lease ms, blocking index} when held.
local n = #KEYS / 4
local owner = ARGV[1]
local blocked = 0
for i = 1, n do
  local holder = redis.call('get', KEYS[i * 4 - 3])
  if holder ~= false and holder ~= owner then
    blocked = i
    break
  end
end
local t = redis.call('time')
local nowUs = tonumber(t[1]) * 1000000 + tonumber(t[2])
local registerAt = tonumber(ARGV[4])
-- As in acquire.lua: one up per grant, and up to the server's clock when more than 1 ms behind it.
local function nextToken(fence)
  local token = redis.call('incr', fence)
  if token < nowUs - 1000 then
    token = nowUs
    redis.call('set', fence, string.format('%.0f', nowUs), 'px', ARGV[3])
  end
  return token
end
if blocked == 0 then
  local result = {1}
  for i = 1, n do
    local lock, fence = KEYS[i * 4 - 3], KEYS[i * 4 - 2]
    redis.call('set', lock, owner, 'px', ARGV[2])
    result[i + 1] = nextToken(fence)
  end
  if registerAt > 0 then
    redis.call('zrem', KEYS[registerAt * 4 - 1], owner)
    redis.call('hdel', KEYS[registerAt * 4], owner)
  end
  return result
end
local nowMs = math.floor(nowUs / 1000)
for i = 1, n do
  local lock, queue, waiters = KEYS[i * 4 - 3], KEYS[i * 4 - 1], KEYS[i * 4]
  if i ~= blocked and redis.call('get', lock) == owner then
    redis.call('del', lock)
    for _ = 1, 16 do
      local head = redis.call('zrange', queue, 0, 0)[1]
      if head == nil then
        break
      end
      redis.call('zrem', queue, head)
      local entry = redis.call('hget', waiters, head)
      redis.call('hdel', waiters, head)
      local deadline, px, mode, channel
      if entry then
        deadline, px, mode, channel = string.match(entry, '^(%d+) (%d+) ([cg]) (.+)$')
      end
      if deadline and tonumber(deadline) > nowMs then
        redis.call('set', lock, head, 'px', px)
        if mode == 'c' then
          redis.call('publish', channel, head)
          break
        end
        -- A grant, as in release.lua: a new fencing token, and only to a provider still listening.
        local token = nextToken(KEYS[i * 4 - 2])
        if redis.call('publish', channel, head .. ' ' .. string.format('%.0f', token)) > 0 then
          break
        end
        redis.call('del', lock)
      end
    end
  end
end
if registerAt == blocked then
  local queue, waiters = KEYS[blocked * 4 - 1], KEYS[blocked * 4]
  local ttl = tonumber(ARGV[5])
  redis.call('zadd', queue, 'NX', string.format('%.0f', nowUs), owner)
  redis.call('hset', waiters, owner, string.format('%.0f', nowMs + ttl) .. ' ' .. ARGV[6] .. ' c ' .. ARGV[7])
  if redis.call('pttl', queue) < ttl then redis.call('pexpire', queue, ttl) end
  if redis.call('pttl', waiters) < ttl then redis.call('pexpire', waiters, ttl) end
end
return {0, redis.call('pttl', KEYS[blocked * 4 - 3]), blocked}
