-- ARGV: P, room, node. Returns {epoch, checkpoint bytes} for a room assigned to node for restore, else {} (a room
-- whose checkpoint vanished is dropped here: nobody can restore it).
local rk = P .. 'room:' .. ARGV[2]
local node, ep, state = unpack(redis.call('HMGET', rk, 'node', 'epoch', 'state'))
if node ~= ARGV[3] or state ~= 'restoring' then return {} end
local bytes = redis.call('GET', P .. 'ckpt:' .. ARGV[2])
if not bytes then dropRoom(ARGV[2], node); return {} end
return {ep, bytes}
