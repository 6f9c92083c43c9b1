-- claim.lua: claim an idempotency key, take over an expired claim, or report the live record.
-- Atomic because Redis runs a script alone. Times are Redis's own TIME in milliseconds, the one
-- unit stored: field exp is the claim's deadline while IN_PROGRESS, the end of retention after.
-- An in-progress record outlives its deadline by one more timeout (PEXPIREAT), so the next claim
-- can see and report a takeover and a slow holder nobody replaced can still complete.
--
-- KEYS[1] the record (a hash: st state, fp fingerprint, tok claim token, exp deadline ms,
--         n claims of this in-progress record, p payload)
-- ARGV[1] request fingerprint (bytes)
-- ARGV[2] claim token
-- ARGV[3] in-progress timeout in milliseconds
-- Returns {1, claims} when claimed (claims > 1 after a takeover), {2, fingerprint} when another
-- live claim holds the key, {3, fingerprint, state, payload} when a live record is completed.
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rec = redis.call('hmget', KEYS[1], 'st', 'fp', 'exp', 'n', 'p')
local claims = 1
if rec[1] then
  if tonumber(rec[3]) > now then
    if rec[1] == 'IN_PROGRESS' then
      return {2, rec[2]}
    end
    return {3, rec[2], rec[1], rec[5]}
  end
  if rec[1] == 'IN_PROGRESS' then
    claims = tonumber(rec[4]) + 1
  end
  redis.call('del', KEYS[1])
end
local timeout = tonumber(ARGV[3])
local exp = now + timeout
redis.call('hset', KEYS[1], 'st', 'IN_PROGRESS', 'fp', ARGV[1], 'tok', ARGV[2], 'exp', exp, 'n', claims)
redis.call('pexpireat', KEYS[1], exp + timeout)
return {1, claims}
