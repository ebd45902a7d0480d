package io.tickwire.api.testing;

import io.tickwire.api.Identity;
import io.tickwire.api.JoinOptions;
import io.tickwire.api.Player;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A player of a {@link FakeRoom}. Applies the server's metadata limits, reports presence changes to its room, and
 * refuses use after the game's {@code onLeave} returned, as the contract says the handle is then dead.
 */
public final class FakePlayer implements Player
{
    private final FakeRoom room;
    private final int id;
    private final String name;
    private final Identity identity;
    private final JoinOptions options;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private int entityId = NO_ENTITY;
    private int lastInputSeq;
    private long viewTick;
    private Object attachment;
    private int nextInputSeq = 1;
    private boolean gone;

    FakePlayer(
        final FakeRoom room, final int id, final String name, final Identity identity, final JoinOptions options)
    {
        this.room = room;
        this.id = id;
        this.name = name;
        this.identity = identity;
        this.options = options;
    }

    public int id()
    {
        return id;
    }

    public String name()
    {
        return name;
    }

    public Identity identity()
    {
        return identity;
    }

    public JoinOptions options()
    {
        return options;
    }

    public int entityId()
    {
        requireHere();
        return entityId;
    }

    public void setEntityId(final int entityId)
    {
        requireHere();
        if (entityId < NO_ENTITY)
        {
            throw new IllegalArgumentException("entity id " + entityId);
        }
        this.entityId = entityId;
        room.presence("entity " + id + " " + entityId);
    }

    void seat(final int entityId, final Map<String, String> savedMetadata)
    {
        if (entityId < NO_ENTITY || savedMetadata.size() > MAX_METADATA_ENTRIES)
        {
            throw new IllegalArgumentException("entity id " + entityId + ", " + savedMetadata.size() + " metadata");
        }
        this.entityId = entityId;
        for (final Map.Entry<String, String> entry : savedMetadata.entrySet())
        {
            TextRules.require("metadata key", entry.getKey(), MAX_METADATA_KEY_LENGTH);
            TextRules.require("metadata " + entry.getKey(), entry.getValue(), MAX_METADATA_VALUE_LENGTH);
            metadata.put(entry.getKey(), entry.getValue());
        }
    }

    public String metadata(final String key)
    {
        return metadata.get(key);
    }

    public void setMetadata(final String key, final String value)
    {
        requireHere();
        TextRules.require("metadata key", key, MAX_METADATA_KEY_LENGTH);
        if (key.isEmpty())
        {
            throw new IllegalArgumentException("empty metadata key");
        }
        if (value == null)
        {
            metadata.remove(key);
        }
        else
        {
            TextRules.require("metadata " + key, value, MAX_METADATA_VALUE_LENGTH);
            if (!metadata.containsKey(key) && metadata.size() == MAX_METADATA_ENTRIES)
            {
                throw new IllegalArgumentException("more than " + MAX_METADATA_ENTRIES + " metadata entries");
            }
            metadata.put(key, value);
        }
        room.presence("update " + id + " " + key + "=" + value);
    }

    public int lastInputSeq()
    {
        return lastInputSeq;
    }

    public long viewTick()
    {
        return viewTick;
    }

    public Object attachment()
    {
        return attachment;
    }

    public void attach(final Object attachment)
    {
        this.attachment = attachment;
    }

    /**
     * @return a copy of the player's metadata, in insertion order.
     */
    public Map<String, String> metadataMap()
    {
        return new LinkedHashMap<>(metadata);
    }

    /**
     * @return true after the game's {@code onLeave} for this player returned.
     */
    public boolean isGone()
    {
        return gone;
    }

    void applied(final FakeInput input)
    {
        lastInputSeq = input.seq();
        viewTick = input.viewTick();
    }

    int claimInputSeq()
    {
        return nextInputSeq++;
    }

    void markGone()
    {
        gone = true;
    }

    public String toString()
    {
        return "FakePlayer{" + id + " " + name + "}";
    }

    private void requireHere()
    {
        if (gone)
        {
            throw new IllegalStateException("player " + id + " used after onLeave");
        }
    }
}
