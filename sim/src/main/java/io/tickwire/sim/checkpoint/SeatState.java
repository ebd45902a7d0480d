package io.tickwire.sim.checkpoint;

import io.tickwire.api.Identity;
import io.tickwire.api.Player;

import java.util.Map;

/**
 * One seated player of a {@link RoomSnapshot}: what a restored room needs to seat it again, detached, until its
 * identity comes back. Strings, the identity and the options map are immutable and held by reference; the presence
 * metadata is copied reference by reference into arrays of {@link Player#MAX_METADATA_ENTRIES}, so filling a frame's
 * seat allocates nothing. Written by one thread at a time (the shard while it fills a frame, the decoder while it
 * reads bytes), read by the thread it is handed to.
 */
public final class SeatState
{
    private final String[] metaKeys = new String[Player.MAX_METADATA_ENTRIES];
    private final String[] metaValues = new String[Player.MAX_METADATA_ENTRIES];
    private int playerId;
    private int entityId;
    private String name;
    private Identity identity;
    private Map<String, String> options = Map.of();
    private int metaCount;

    /**
     * Sets every field; the metadata arrays are copied (their first {@code metaCount} references).
     *
     * @param identity the identity the seat was taken with; null when the server does not authenticate (such a seat
     *                 can never be taken back and leaves after the re-home grace).
     * @param options  the join options the player gave, by name; immutable.
     * @return this.
     */
    public SeatState set(
        final int playerId, final int entityId, final String name, final Identity identity,
        final Map<String, String> options, final String[] metaKeys, final String[] metaValues, final int metaCount)
    {
        if (metaCount < 0 || metaCount > Player.MAX_METADATA_ENTRIES)
        {
            throw new IllegalArgumentException("metadata entries must be in 0.." + Player.MAX_METADATA_ENTRIES);
        }
        this.playerId = playerId;
        this.entityId = entityId;
        this.name = name;
        this.identity = identity;
        this.options = options;
        System.arraycopy(metaKeys, 0, this.metaKeys, 0, metaCount);
        System.arraycopy(metaValues, 0, this.metaValues, 0, metaCount);
        for (int i = metaCount; i < this.metaCount; i++)
        {
            this.metaKeys[i] = null;
            this.metaValues[i] = null;
        }
        this.metaCount = metaCount;
        return this;
    }

    public int playerId()
    {
        return playerId;
    }

    /**
     * @return the player's avatar entity id; 0 or negative when it had none.
     */
    public int entityId()
    {
        return entityId;
    }

    public String name()
    {
        return name;
    }

    /**
     * @return the identity, or null.
     */
    public Identity identity()
    {
        return identity;
    }

    /**
     * @return the join options the player gave (not the defaults), by name.
     */
    public Map<String, String> options()
    {
        return options;
    }

    public int metaCount()
    {
        return metaCount;
    }

    /**
     * @return the presence metadata keys; the first {@link #metaCount()} are set. Not to be changed.
     */
    public String[] metaKeys()
    {
        return metaKeys;
    }

    /**
     * @return the presence metadata values, parallel to {@link #metaKeys()}. Not to be changed.
     */
    public String[] metaValues()
    {
        return metaValues;
    }

    /**
     * Drops every reference, so a reused frame keeps no player alive.
     */
    public void clear()
    {
        set(0, 0, null, null, Map.of(), metaKeys, metaValues, 0);
    }
}
