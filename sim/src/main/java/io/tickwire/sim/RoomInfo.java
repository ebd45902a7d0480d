package io.tickwire.sim;

import java.util.List;
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
 * @param epoch      the room's ownership epoch: 1 for a room created here, the cluster's epoch for a restored one.
 * @param restoredFromTick the checkpoint tick the room was restored from; -1 when it was created here.
 * @param seatedReservations the matchmaker reservation ids of the players seated since the previous publication,
 *                   for the cluster to forget; empty without reservations.
 */
public record RoomInfo(
    String name, String type, int clients, int maxClients, int shard, long tick, int entities, boolean locked,
    boolean hidden, Map<String, String> metadata, long epoch, long restoredFromTick, List<String> seatedReservations)
{
    /** {@link #restoredFromTick()} of a room created here. */
    public static final long NOT_RESTORED = -1;

    /**
     * A room created here, epoch 1, no reservations seated.
     */
    public RoomInfo(
        final String name, final String type, final int clients, final int maxClients, final int shard,
        final long tick, final int entities, final boolean locked, final boolean hidden,
        final Map<String, String> metadata)
    {
        this(name, type, clients, maxClients, shard, tick, entities, locked, hidden, metadata, 1, NOT_RESTORED,
            List.of());
    }

    /**
     * @return true when a join may take a seat now: not locked and not full.
     */
    public boolean isOpen()
    {
        return !locked && clients < maxClients;
    }
}
