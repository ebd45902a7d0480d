package io.tickwire.sim;

import com.sun.management.ThreadMXBean;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RowOrderTest
{
    /**
     * Views drawn from rooms of up to 8,000 rows, with their distances in the high bits as the fan-out packs them, and
     * one order reused for consecutive views, as a shard reuses it client after client: every view must come out as
     * its rows sorted, whether it took the bitmap or the sort, and whatever the view before it left behind.
     */
    @Property(tries = 400)
    void leavesEachViewsRowsAscendingAsASortWould(
        @ForAll @Size(min = 1, max = 4) final List<@Size(max = 300) Set<@IntRange(min = 0, max = 7_999) Integer>> views,
        @ForAll @IntRange(min = 0, max = 7_999) final int extraRows,
        @ForAll final long seed)
    {
        final RowOrder order = new RowOrder();
        final SplittableRandom random = new SplittableRandom(seed);
        for (final Set<Integer> view : views)
        {
            final int highestRow = view.stream().mapToInt(Integer::intValue).max().orElse(-1);
            final int rowCount = Math.min(8_000, highestRow + 1 + extraRows);
            final long[] entries = new long[view.size() + 3];
            int count = 0;
            for (final int row : view)
            {
                entries[count++] = ((long)random.nextInt(1 << 20) << 16) | row;
            }
            final long[] expected = view.stream().mapToLong(Integer::longValue).sorted().toArray();
            Statistics.label("path").collect(RowOrder.sorts(count, rowCount) ? "sort" : "bitmap");

            order.sortRows(entries, count, rowCount);

            assertArrayEquals(expected, Arrays.copyOf(entries, count));
        }
        Statistics.label("path").coverage(coverage ->
        {
            coverage.check("sort").percentage(p -> p >= 10.0);
            coverage.check("bitmap").percentage(p -> p >= 20.0);
        });
    }

    @Test
    void orderingViewsOfARoomAllocatesNothingOnceGrown()
    {
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        final RowOrder order = new RowOrder();
        final long[] entries = new long[64];
        final SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++)
        {
            fillView(entries, random);
            order.sortRows(entries, entries.length, 1_200);
        }
        final long[] allocatedByWindow = new long[3];
        for (int window = 0; window < allocatedByWindow.length; window++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000; i++)
            {
                fillView(entries, random);
                order.sortRows(entries, entries.length, 1_200);
            }
            allocatedByWindow[window] = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertEquals(0, Arrays.stream(allocatedByWindow).min().orElseThrow(), Arrays.toString(allocatedByWindow));
    }

    /**
     * Distinct rows of a room of 1,200, in no order, each with a distance above it.
     */
    private static void fillView(final long[] entries, final SplittableRandom random)
    {
        final int stride = 1_200 / entries.length;
        for (int i = 0; i < entries.length; i++)
        {
            entries[i] = ((long)random.nextInt(40_000) << 16) | (i * stride + random.nextInt(stride));
        }
        for (int i = entries.length - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final long swap = entries[i];
            entries[i] = entries[j];
            entries[j] = swap;
        }
    }
}
