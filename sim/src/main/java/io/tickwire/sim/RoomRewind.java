package io.tickwire.sim;

import io.tickwire.api.Rewind;

/**
 * The {@link Rewind} view of a room's {@link WorldHistory}: entity fields at a remembered past tick, found through
 * the entity's current slot, valid when the slot's owner already held it at that tick. One per room; shard thread
 * only.
 */
final class RoomRewind implements Rewind
{
    private final WorldHistory world;
    private final int fieldCount;
    private long tick;

    RoomRewind(final WorldHistory world, final int fieldCount)
    {
        this.world = world;
        this.fieldCount = fieldCount;
    }

    /**
     * Points the view at {@code requestedTick}, clamped to the remembered ticks.
     */
    RoomRewind at(final long requestedTick)
    {
        final long current = world.currentTick();
        final long oldest = world.oldestTick();
        tick = Math.max(oldest, Math.min(requestedTick, current));
        return this;
    }

    public long tick()
    {
        return tick;
    }

    public boolean contains(final int entityId)
    {
        final int slot = world.slotOf(entityId);
        return slot >= 0 && world.contains(tick) && world.ownedSinceTick(slot) <= tick;
    }

    public int value(final int entityId, final int field)
    {
        if (!contains(entityId) || field < 0 || field >= fieldCount)
        {
            throw new IllegalArgumentException("no field " + field + " of entity " + entityId + " at tick " + tick);
        }
        return world.valuesAt(tick)[world.slotOf(entityId) * fieldCount + field];
    }
}
