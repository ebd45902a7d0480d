package io.tickwire.sim;

import java.util.Map;

/**
 * What one room looked like when its shard last published its rooms ({@link ShardAgent#publishedRooms()}).
 * Immutable, so it can be read from any thread.
 *
 * @param name       the room's name.
 * @param type       the name of its game type.
 * @param clients    clients in the room.
 * @param maxClients clients the room admits.
 * @param shard      the shard that owns the room.
 * @param tick       the room's last tick, counting from 1 at its first tick after creation.
 * @param entities   entities captured at that tick.
 * @param locked     whether the game locked the room (no new joins).
 * @param hidden     whether the game made the room private (not listed, not offered to "any room" joins).
 * @param metadata   the metadata the game set, in insertion order.
 */
public record RoomInfo(
    String name, String type, int clients, int maxClients, int shard, long tick, int entities, boolean locked,
    boolean hidden, Map<String, String> metadata)
{
    /**
     * @return true when a join may take a seat now: not locked and not full.
     */
    public boolean isOpen()
    {
        return !locked && clients < maxClients;
    }
}
