-- Common prelude, prepended to every script by Scripts. ARGV[1] is the key prefix; times are Redis TIME in ms.
local P = ARGV[1]
local function nowMs()
  local t = redis.call('TIME'); return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local NOW = nowMs()
-- A node's games field is ',type/max/create,...': a type is hosted when ',type/' occurs (plain find, no patterns).
local function hosts(node, typ)
  local games = redis.call('HGET', P .. 'node:' .. node, 'games')
  return games and string.find(games, ',' .. typ .. '/', 1, true) ~= nil
end
-- The least-loaded live, non-draining node hosting typ among the 8 least loaded, other than `except`; or nil.
local function leastLoaded(typ, except)
  for _, n in ipairs(redis.call('ZRANGE', P .. 'load', 0, 7)) do
    if n ~= except and hosts(n, typ) then return n end
  end
  return nil
end
local function openRoom(room, typ, free, locked, private)
  if locked == '0' and private == '0' and free >= 1 then redis.call('ZADD', P .. 'open:' .. typ, free, room)
  else redis.call('ZREM', P .. 'open:' .. typ, room) end
end
local function dropRoom(room, owner)
  local rk = P .. 'room:' .. room; local typ = redis.call('HGET', rk, 'type')
  if typ then redis.call('ZREM', P .. 'open:' .. typ, room) end
  redis.call('ZREM', P .. 'rooms', room); redis.call('ZREM', P .. 'pending', room)
  if owner then redis.call('SREM', P .. 'noderooms:' .. owner, room) end
  redis.call('DEL', rk, P .. 'rsv:' .. room, P .. 'rj:' .. room, P .. 'ckpt:' .. room)
end
-- Moves every room of `id` to live nodes (when it has a checkpoint) or drops it; returns the moved rooms.
local function rehomeRooms(id)
  local moved, rooms = {}, redis.call('SMEMBERS', P .. 'noderooms:' .. id)
  redis.call('DEL', P .. 'noderooms:' .. id, P .. 'assign:' .. id)
  for _, r in ipairs(rooms) do
    local rk = P .. 'room:' .. r; local owner, typ = unpack(redis.call('HMGET', rk, 'node', 'type'))
    if owner == id then
      if typ then redis.call('ZREM', P .. 'open:' .. typ, r) end
      redis.call('ZREM', P .. 'rooms', r); redis.call('ZREM', P .. 'pending', r)
      redis.call('DEL', P .. 'rsv:' .. r, P .. 'rj:' .. r)
      local target = typ and leastLoaded(typ, id)
      if target and redis.call('EXISTS', P .. 'ckpt:' .. r) == 1 then
        redis.call('HINCRBY', rk, 'epoch', 1); redis.call('PEXPIRE', rk, 30000)
        redis.call('HSET', rk, 'node', target, 'state', 'restoring', 'clients', 0, 'since', NOW)
        redis.call('SADD', P .. 'noderooms:' .. target, r); redis.call('RPUSH', P .. 'assign:' .. target, r)
        redis.call('ZINCRBY', P .. 'load', 8, target); moved[#moved + 1] = r
      else
        redis.call('DEL', rk, P .. 'ckpt:' .. r)
      end
    end
  end
  return moved
end
