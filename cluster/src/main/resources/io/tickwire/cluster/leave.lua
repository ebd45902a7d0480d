-- ARGV: P, id. The node leaves: rooms it still owns are dropped (not handed over), then every key of the node.
local id = ARGV[2]
for _, r in ipairs(redis.call('SMEMBERS', P .. 'noderooms:' .. id)) do
  if redis.call('HGET', P .. 'room:' .. r, 'node') == id then dropRoom(r, id) end
end
redis.call('ZREM', P .. 'nodes', id); redis.call('ZREM', P .. 'load', id)
redis.call('DEL', P .. 'node:' .. id, P .. 'noderooms:' .. id, P .. 'assign:' .. id)
return 1
