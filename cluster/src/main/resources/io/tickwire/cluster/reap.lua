-- ARGV: P, deadAfterMs. Returns the reaped node ids, then '>room' for each room moved to a live node.
local out, dead = {}, redis.call('ZRANGE', P .. 'nodes', '-inf', NOW - tonumber(ARGV[2]), 'BYSCORE', 'LIMIT', 0, 16)
for _, id in ipairs(dead) do    -- all out of `load` first, so no room is moved onto another dead node
  redis.call('ZREM', P .. 'nodes', id); redis.call('ZREM', P .. 'load', id); redis.call('DEL', P .. 'node:' .. id)
  out[#out + 1] = id
end
for _, id in ipairs(dead) do
  for _, r in ipairs(rehomeRooms(id)) do out[#out + 1] = '>' .. r end
end
for _, r in ipairs(redis.call('ZRANGE', P .. 'pending', '-inf', NOW, 'BYSCORE', 'LIMIT', 0, 64)) do
  local rk = P .. 'room:' .. r; redis.call('ZREM', P .. 'pending', r)
  local owner, state = unpack(redis.call('HMGET', rk, 'node', 'state'))
  if state == 'pending' then dropRoom(r, owner) end
end
return out
