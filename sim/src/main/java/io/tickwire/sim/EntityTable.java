package io.tickwire.sim;

/**
 * The captured, quantized state of a room's entities at one tick, as columns in ascending entity id order. Written
 * by {@link Game#capture} and read by the snapshot encoder, both on the room's shard thread.
 */
public final class EntityTable
{
    private final int[] ids;
    private final int[] kinds;
    private final int[] hps;
    private final int[] xs;
    private final int[] ys;
    private int count;

    public EntityTable(final int capacity)
    {
        ids = new int[capacity];
        kinds = new int[capacity];
        hps = new int[capacity];
        xs = new int[capacity];
        ys = new int[capacity];
    }

    public void clear()
    {
        count = 0;
    }

    /**
     * Appends an entity; ids must ascend.
     *
     * @param x position as 16-bit fixed point, see {@link io.tickwire.codec.WireFormat#quantizePosition(float)}.
     * @param y position as 16-bit fixed point.
     */
    public void add(final int id, final int kind, final int hp, final int x, final int y)
    {
        if (count == ids.length)
        {
            throw new IllegalStateException("entity table full: " + count);
        }
        if (count > 0 && id <= ids[count - 1])
        {
            throw new IllegalStateException("entity ids must ascend: " + id + " after " + ids[count - 1]);
        }
        ids[count] = id;
        kinds[count] = kind;
        hps[count] = hp;
        xs[count] = x;
        ys[count] = y;
        count++;
    }

    public int count()
    {
        return count;
    }

    public int capacity()
    {
        return ids.length;
    }

    public int id(final int index)
    {
        return ids[index];
    }

    public int kind(final int index)
    {
        return kinds[index];
    }

    public int hp(final int index)
    {
        return hps[index];
    }

    public int x(final int index)
    {
        return xs[index];
    }

    public int y(final int index)
    {
        return ys[index];
    }
}
