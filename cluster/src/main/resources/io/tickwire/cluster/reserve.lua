-- ARGV: P, mode named|any|new|rejoin, type, room (for any/new a fresh name used only if a room is created), rid,
-- ttlMs, allowCreate 0|1, maxClients, holdMs (how long a consumed seat waits for its JOIN).
-- Returns {'OK', room, node, url, expiresAtMs} or {error}.
local mode, typ, room, rid, ttl = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local function urlOf(node)
  if not redis.call('ZSCORE', P .. 'load', node) then return nil end    -- dead or draining
  return redis.call('HGET', P .. 'node:' .. node, 'url')
end
local function reserveIn(r)
  local rk = P .. 'room:' .. r
  local node, state, max, clients, locked, t, priv = unpack(redis.call('HMGET', rk, 'node', 'state', 'max',
    'clients', 'locked', 'type', 'private'))
  if not node or t ~= typ then return nil, 'NOT_FOUND' end
  if state == 'restoring' then return nil, 'RESTORING' end
  if locked == '1' then return nil, 'LOCKED' end
  local url = urlOf(node); if not url then return nil, 'RESTORING' end
  local rv = P .. 'rsv:' .. r
  redis.call('ZREMRANGEBYSCORE', rv, '-inf', NOW)
  local free = tonumber(max) - tonumber(clients) - redis.call('ZCARD', rv)
  if free < 1 then redis.call('ZREM', P .. 'open:' .. typ, r); return nil, 'FULL' end
  redis.call('ZADD', rv, NOW + ttl, 'r:' .. rid); redis.call('PEXPIRE', rv, ttl + 60000)
  openRoom(r, typ, free - 1, locked or '0', priv or '0')
  return {'OK', r, node, url, tostring(NOW + ttl)}
end
local function create(r)
  local node = leastLoaded(typ, nil)
  if not node then return {'NO_NODE'} end
  local rk = P .. 'room:' .. r
  if redis.call('HSETNX', rk, 'node', node) == 0 then return {'EXISTS'} end
  redis.call('HSET', rk, 'epoch', 1, 'type', typ, 'state', 'pending', 'clients', 0, 'max', ARGV[8],
    'locked', '0', 'private', '0', 'since', NOW)
  redis.call('PEXPIRE', rk, 30000); redis.call('SADD', P .. 'noderooms:' .. node, r)
  redis.call('ZADD', P .. 'pending', NOW + ttl + tonumber(ARGV[9]), r); redis.call('ZINCRBY', P .. 'load', 1, node)
  local ok, why = reserveIn(r)
  return ok or {why}
end
if mode == 'rejoin' then            -- the seat exists on the node; the node refuses the JOIN if it does not
  local node, state, t = unpack(redis.call('HMGET', P .. 'room:' .. room, 'node', 'state', 'type'))
  if not node or t ~= typ then return {'ROOM_GONE'} end
  local url = state ~= 'restoring' and urlOf(node)
  if not url then return {'RESTORING'} end
  redis.call('ZADD', P .. 'rj:' .. room, NOW + ttl, rid); redis.call('PEXPIRE', P .. 'rj:' .. room, ttl + 60000)
  return {'OK', room, node, url, tostring(NOW + ttl)}
elseif mode == 'named' then
  local ok, why = reserveIn(room)
  if ok then return ok end
  if why == 'NOT_FOUND' and ARGV[7] == '1' and not redis.call('HGET', P .. 'room:' .. room, 'node') then
    return create(room) end
  return {why}
elseif mode == 'any' then
  for _, r in ipairs(redis.call('ZRANGE', P .. 'open:' .. typ, 1, '+inf', 'BYSCORE', 'LIMIT', 0, 8)) do
    local ok, why = reserveIn(r)
    if ok then return ok end
    if why == 'NOT_FOUND' or why == 'LOCKED' then redis.call('ZREM', P .. 'open:' .. typ, r) end
  end
  if ARGV[7] == '1' then return create(room) end
  return {'NOT_FOUND'}
else
  return create(room)
end
