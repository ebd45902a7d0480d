-- ARGV: P, id. Graceful handover: the node leaves `load`, each of its rooms with a checkpoint moves to a live node.
redis.call('ZREM', P .. 'load', ARGV[2])
return rehomeRooms(ARGV[2])
