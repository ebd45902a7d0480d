-- ARGV: P, room, node, epoch, tick, bytes. Returns 1 when written, 0 when fenced (another node or epoch owns it).
local rk = P .. 'room:' .. ARGV[2]
local node, ep = unpack(redis.call('HMGET', rk, 'node', 'epoch'))
if node ~= ARGV[3] or ep ~= ARGV[4] then return 0 end
redis.call('SET', P .. 'ckpt:' .. ARGV[2], ARGV[6], 'PX', 300000)
redis.call('HSET', rk, 'ckptTick', ARGV[5])
return 1
