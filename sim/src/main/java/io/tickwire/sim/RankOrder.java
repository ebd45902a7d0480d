package io.tickwire.sim;

/**
 * Orders the indices of a batch by rank ({@link ClientLink#rankNextSnapshot}), lowest first, in place and without
 * allocating: each rank becomes one packed key, (rank above the batch's lowest {@code << INDEX_BITS}) | index, and
 * the keys are sorted with {@link LongSort}. The shard offers a tick's snapshots in this order and each event loop
 * writes a batch of them in it, so the client whose input waited longest is served first at both ends.
 * <p>
 * {@link ClientLink#UNRANKED}, the highest rank, sorts last. Ranks more than 2^42 above the lowest (about 73
 * minutes of nanoseconds) sort as equal, among themselves and with {@link ClientLink#UNRANKED}, in no
 * particular order; the offset is taken unsigned, so ranks on either side of zero ({@link System#nanoTime()} may be
 * below it) compare right. A batch larger than {@link #MAX_COUNT} keeps its given order.
 */
public final class RankOrder
{
    /** The largest batch ordered by rank. */
    public static final int MAX_COUNT = 1 << 21;
    private static final int INDEX_BITS = 21;
    private static final long INDEX_MASK = MAX_COUNT - 1;
    private static final long MAX_RANK_OFFSET = Long.MAX_VALUE >>> INDEX_BITS;

    private RankOrder()
    {
    }

    /**
     * Replaces {@code ranks[0..count)}, the ranks of a batch's entries by index, with the batch's order: afterwards
     * {@link #index}{@code (ranks[i])} is the index of the entry with the {@code i}-th lowest rank.
     */
    public static void sort(final long[] ranks, final int count)
    {
        if (count <= 1 || count > MAX_COUNT)
        {
            for (int i = 0; i < count; i++)
            {
                ranks[i] = i;
            }
            return;
        }
        long lowest = ClientLink.UNRANKED;
        for (int i = 0; i < count; i++)
        {
            lowest = Math.min(lowest, ranks[i]);
        }
        for (int i = 0; i < count; i++)
        {
            final long offset = ranks[i] - lowest;
            ranks[i] = (Long.compareUnsigned(offset, MAX_RANK_OFFSET) < 0 ? offset : MAX_RANK_OFFSET) << INDEX_BITS | i;
        }
        LongSort.sort(ranks, 0, count);
    }

    /**
     * @return the batch index held by an entry of an array {@link #sort} ordered.
     */
    public static int index(final long ordered)
    {
        return (int)(ordered & INDEX_MASK);
    }
}
