package io.tickwire.sim;

import io.tickwire.api.Input;

/**
 * The {@link Input} view a room hands its game: points into a client's pending-input ring. One per room, re-pointed
 * for every input; shard thread only.
 */
final class RoomInput implements Input
{
    private int seq;
    private long viewTick;
    private int[] values;
    private int offset;
    private int fieldCount;

    void wrap(final int seq, final long viewTick, final int[] values, final int offset, final int fieldCount)
    {
        this.fieldCount = fieldCount;
        this.seq = seq;
        this.viewTick = viewTick;
        this.values = values;
        this.offset = offset;
    }

    /**
     * @return the array holding the values, from {@link #offset()}; the client's own, to read, not to keep.
     */
    int[] values()
    {
        return values;
    }

    int offset()
    {
        return offset;
    }

    int fieldCount()
    {
        return fieldCount;
    }

    public int seq()
    {
        return seq;
    }

    public long viewTick()
    {
        return viewTick;
    }

    public int get(final int field)
    {
        if (field < 0 || field >= fieldCount)
        {
            throw new IndexOutOfBoundsException("input field " + field + " of " + fieldCount);
        }
        return values[offset + field];
    }
}
