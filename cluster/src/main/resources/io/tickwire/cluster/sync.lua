-- ARGV: P, id, n, then per room 12 values: name, type, epoch, state live|closed, clients, max, locked 0|1,
-- private 0|1, metaJson, tick, seatedRids (','-joined), restoredFromTick. Returns {'OK', fenced rooms} or {'GONE'}.
local id, n, lost = ARGV[2], tonumber(ARGV[3]), {}
if not redis.call('ZSCORE', P .. 'nodes', id) then return {'GONE'} end   -- reaped: never re-register its rooms
for i = 0, n - 1 do
  local b = 4 + i * 12
  local room, typ, epoch, state = ARGV[b], ARGV[b + 1], ARGV[b + 2], ARGV[b + 3]
  local rk = P .. 'room:' .. room
  local owner, ep = unpack(redis.call('HMGET', rk, 'node', 'epoch'))
  if state == 'closed' then
    if owner == id and ep == epoch then dropRoom(room, id)
    elseif not owner then redis.call('SREM', P .. 'noderooms:' .. id, room) end
  elseif owner and (owner ~= id or ep ~= epoch) then
    lost[#lost + 1] = room                                    -- fenced: another node owns it now
  else
    local rv = P .. 'rsv:' .. room
    redis.call('ZREMRANGEBYSCORE', rv, '-inf', NOW)
    for rid in string.gmatch(ARGV[b + 10], '[^,]+') do redis.call('ZREM', rv, 'u:' .. rid) end
    local clients, max = tonumber(ARGV[b + 4]), tonumber(ARGV[b + 5])
    redis.call('HSET', rk, 'node', id, 'epoch', epoch, 'type', typ, 'state', 'live', 'clients', clients,
      'max', max, 'locked', ARGV[b + 6], 'private', ARGV[b + 7], 'meta', ARGV[b + 8], 'tick', ARGV[b + 9],
      'rtick', ARGV[b + 11])
    redis.call('PEXPIRE', rk, 30000); if not owner then redis.call('SADD', P .. 'noderooms:' .. id, room) end
    redis.call('ZREM', P .. 'pending', room); redis.call('ZADD', P .. 'rooms', 0, room)
    openRoom(room, typ, max - clients - redis.call('ZCARD', rv), ARGV[b + 6], ARGV[b + 7])
  end
end
return {'OK', lost}
