-- release.lua: delete the record if the claim token still holds it in progress, so the key can be
-- claimed again at once (the action failed and may be retried).
--
-- KEYS[1] the record (see claim.lua)
-- ARGV[1] claim token
-- Returns 1 if deleted, 0 if the claim was lost.
local rec = redis.call('hmget', KEYS[1], 'st', 'tok')
if rec[1] ~= 'IN_PROGRESS' or rec[2] ~= ARGV[1] then
  return 0
end
redis.call('del', KEYS[1])
return 1
