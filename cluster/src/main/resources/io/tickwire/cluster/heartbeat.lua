-- ARGV: P, id, url, games ',type/max/create,...', rooms, clients, lateMs, draining 0|1, load, first 0|1
local id = ARGV[2]
if ARGV[10] ~= '1' and not redis.call('ZSCORE', P .. 'nodes', id) then return {'GONE'} end
redis.call('ZADD', P .. 'nodes', NOW, id)
local nk = P .. 'node:' .. id
redis.call('HSET', nk, 'url', ARGV[3], 'games', ARGV[4], 'rooms', ARGV[5], 'clients', ARGV[6], 'lateMs', ARGV[7],
  'draining', ARGV[8], 'seen', NOW)
redis.call('PEXPIRE', nk, 10000)
if ARGV[8] == '1' then redis.call('ZREM', P .. 'load', id)
else redis.call('ZADD', P .. 'load', tonumber(ARGV[9]), id) end
-- Assignments are answered at every heartbeat until the room is no longer this node's to restore (restored and
-- synced live, dropped, or moved): a reply lost on the way (a timeout) must not lose the room.
local ak = P .. 'assign:' .. id; local assigned = {}
for _, r in ipairs(redis.call('LRANGE', ak, 0, -1)) do
  local node, state = unpack(redis.call('HMGET', P .. 'room:' .. r, 'node', 'state'))
  if node == id and state == 'restoring' then assigned[#assigned + 1] = r else redis.call('LREM', ak, 0, r) end
end
return {'OK', tostring(NOW), assigned}
