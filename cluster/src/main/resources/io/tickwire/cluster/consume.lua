-- ARGV: P, room, rid, nodeId, holdMs. Returns OK | REJOIN | EXPIRED | UNKNOWN | WRONG_NODE.
local room, rid = ARGV[2], ARGV[3]
if redis.call('HGET', P .. 'room:' .. room, 'node') ~= ARGV[4] then return 'WRONG_NODE' end
local rv = P .. 'rsv:' .. room; local exp = redis.call('ZSCORE', rv, 'r:' .. rid)
if not exp then                                      -- a rejoin, or used before, swept after expiry, never made
  local rj = P .. 'rj:' .. room; local e = redis.call('ZSCORE', rj, rid)
  if not e then return 'UNKNOWN' end
  redis.call('ZREM', rj, rid); if tonumber(e) <= NOW then return 'EXPIRED' end
  return 'REJOIN'
end
redis.call('ZREM', rv, 'r:' .. rid)
if tonumber(exp) <= NOW then return 'EXPIRED' end
redis.call('ZADD', rv, NOW + tonumber(ARGV[5]), 'u:' .. rid)
return 'OK'
