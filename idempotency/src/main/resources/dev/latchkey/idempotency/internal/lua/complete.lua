-- complete.lua: store the outcome of the request holding the claim token, for the retention.
-- Only that token's holder completes, so a zombie completion after a takeover changes nothing.
-- The retention is counted on Redis's TIME, in milliseconds, and enforced by PEXPIREAT.
--
-- KEYS[1] the record (see claim.lua)
-- ARGV[1] claim token
-- ARGV[2] outcome: SUCCESS or FAILURE
-- ARGV[3] payload (bytes)
-- ARGV[4] retention in milliseconds
-- Returns 1 if stored, 0 if the claim was lost.
local rec = redis.call('hmget', KEYS[1], 'st', 'tok')
if rec[1] ~= 'IN_PROGRESS' or rec[2] ~= ARGV[1] then
  return 0
end
local t = redis.call('time')
local exp = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[4])
redis.call('hset', KEYS[1], 'st', ARGV[2], 'p', ARGV[3], 'exp', exp)
redis.call('hdel', KEYS[1], 'tok')
redis.call('pexpireat', KEYS[1], exp)
return 1
