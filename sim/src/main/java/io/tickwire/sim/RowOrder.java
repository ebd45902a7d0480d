package io.tickwire.sim;

/**
 * Puts the rows of a client's view in ascending order, which is id order: a room's {@link EntityTable} keeps its
 * rows in ascending id order. Called for every client every tick, on the shard thread, and allocates nothing once
 * grown to the room's entity count.
 * <p>
 * A view of {@code k} rows out of a room of {@code n} is ordered by marking its rows in a bitmap of {@code n} bits
 * and reading the set bits back in order: {@code k + n / 64} steps with no data-dependent branch per comparison.
 * A sort ({@link LongSort}) branches on the data at every comparison, and sorting views was the largest single cost
 * of the shard's tick (19% of its profiled samples at 1000 clients). A view sparser than one row in {@link #MAX_WORDS_PER_ROW} bitmap words (a handful of
 * entities in a huge room) is sorted instead, so the pass is never longer than the sort by more than a constant.
 * The bitmap is all zero between calls: each pass clears the words it reads.
 */
final class RowOrder
{
    /**
     * The most bitmap words read per row ordered; beyond it, a view is sorted.
     */
    private static final int MAX_WORDS_PER_ROW = 8;

    private long[] rowBits = new long[1];

    /**
     * Orders {@code entries[0..count)} by row, where the row is each entry's low 16 bits, and leaves the bare rows
     * there, ascending. Rows are distinct and below {@code rowCount}.
     */
    void sortRows(final long[] entries, final int count, final int rowCount)
    {
        if (sorts(count, rowCount))
        {
            for (int i = 0; i < count; i++)
            {
                entries[i] &= 0xFFFF;
            }
            LongSort.sort(entries, 0, count);
            return;
        }
        final int words = words(rowCount);
        if (rowBits.length < words)
        {
            rowBits = new long[Math.max(words, rowBits.length * 2)];
        }
        final long[] bits = rowBits;
        for (int i = 0; i < count; i++)
        {
            final int row = (int)(entries[i] & 0xFFFF);
            assert row < rowCount : "row " + row + " of " + rowCount;
            bits[row >>> 6] |= 1L << row;
        }
        int next = 0;
        for (int word = 0; word < words; word++)
        {
            long set = bits[word];
            if (set != 0)
            {
                bits[word] = 0;
                final int base = word << 6;
                do
                {
                    entries[next++] = base + Long.numberOfTrailingZeros(set);
                    set &= set - 1;
                }
                while (set != 0);
            }
        }
    }

    /**
     * @return whether a view of {@code count} rows in a room of {@code rowCount} is sorted rather than passed
     * through the bitmap.
     */
    static boolean sorts(final int count, final int rowCount)
    {
        return words(rowCount) > count * MAX_WORDS_PER_ROW;
    }

    private static int words(final int rowCount)
    {
        return (rowCount + 63) >>> 6;
    }
}
