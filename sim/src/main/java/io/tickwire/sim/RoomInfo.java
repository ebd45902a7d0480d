package io.tickwire.sim;

/**
 * What one room looked like when its shard last published its rooms ({@link ShardAgent#publishedRooms()}).
 * Immutable, so it can be read from any thread.
 *
 * @param name       the room's name.
 * @param clients    clients in the room.
 * @param maxClients clients the room admits.
 * @param shard      the shard that owns the room.
 * @param tick       the room's last tick, counting from 1 at its first tick after creation.
 * @param entities   entities captured at that tick.
 */
public record RoomInfo(String name, int clients, int maxClients, int shard, long tick, int entities)
{
}
