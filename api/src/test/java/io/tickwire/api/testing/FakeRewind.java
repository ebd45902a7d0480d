package io.tickwire.api.testing;

import io.tickwire.api.Rewind;

/**
 * The view {@link FakeRoom#rewind(long)} returns: a past capture, showing only the entities that also exist in
 * the newest capture.
 */
public final class FakeRewind implements Rewind
{
    private FakeEntityWriter past;
    private FakeEntityWriter newest;
    private long tick;

    FakeRewind wrap(final FakeEntityWriter past, final FakeEntityWriter newest, final long tick)
    {
        this.past = past;
        this.newest = newest;
        this.tick = tick;
        return this;
    }

    public long tick()
    {
        return tick;
    }

    public boolean contains(final int entityId)
    {
        return past != null && past.contains(entityId) && newest.contains(entityId);
    }

    public int value(final int entityId, final int field)
    {
        if (!contains(entityId))
        {
            throw new IllegalArgumentException("entity " + entityId + " not found at tick " + tick);
        }
        return past.get(entityId, field);
    }
}
