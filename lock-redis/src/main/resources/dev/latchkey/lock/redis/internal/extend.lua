-- extend.lua: compare-and-PEXPIRE, in one round trip.
-- KEYS[1] lock key
-- ARGV[1] owner token
-- ARGV[2] new lease time, ms
-- Returns 1 if this owner holds the lock and its lease was set, 0 otherwise.
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('pexpire', KEYS[1], ARGV[2])
  return 1
end
return 0
