package io.tickwire.sim;

import io.tickwire.api.Input;
import io.tickwire.sim.journal.RoomJournal;

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

    /**
     * Records the input this view points at, applied in {@code tick} by {@code playerId}.
     */
    void recordTo(final RoomJournal journal, final long tick, final int playerId)
    {
        journal.onInput(tick, playerId, seq, viewTick, values, offset, fieldCount);
    }
}
