package io.tickwire.sim;

import com.sun.management.ThreadMXBean;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LongSortTest
{
    @Property(tries = 300)
    void sortsAnyRangeAsArraysSortDoesAndLeavesTheRestAlone(
        @ForAll @Size(max = 400) final List<Long> values,
        @ForAll @IntRange(min = 0, max = 3) final int shape,
        @ForAll @IntRange(min = 0, max = 400) final int fromSeed,
        @ForAll @IntRange(min = 0, max = 400) final int toSeed)
    {
        final long[] input = values.stream().mapToLong(Long::longValue).toArray();
        if (shape == 1)
        {
            Arrays.sort(input);
        }
        else if (shape == 2)
        {
            Arrays.sort(input);
            for (int i = 0; i < input.length / 2; i++)
            {
                final long swap = input[i];
                input[i] = input[input.length - 1 - i];
                input[input.length - 1 - i] = swap;
            }
        }
        else if (shape == 3)
        {
            for (int i = 0; i < input.length; i++)
            {
                input[i] = i % 17 + (i / 17) * 3;
            }
        }
        final int from = input.length == 0 ? 0 : Math.min(fromSeed, toSeed) % (input.length + 1);
        final int to = Math.max(from, input.length == 0 ? 0 : Math.max(fromSeed, toSeed) % (input.length + 1));

        final long[] expected = input.clone();
        Arrays.sort(expected, from, to);
        final long[] actual = input.clone();
        LongSort.sort(actual, from, to);
        assertArrayEquals(expected, actual);
    }

    @Property(tries = 300)
    void selectingTheSmallestTakesTheSameSetAsASortsHead(
        @ForAll @Size(max = 600) final Set<Long> distinct,
        @ForAll @IntRange(min = 0, max = 600) final int countSeed,
        @ForAll @IntRange(min = 0, max = 7) final int offset)
    {
        final long[] values = new long[offset + distinct.size()];
        int i = offset;
        for (final long value : distinct)
        {
            values[i++] = value;
        }
        final int count = distinct.isEmpty() ? 0 : countSeed % (distinct.size() + 1);
        final long[] sorted = values.clone();
        Arrays.sort(sorted, offset, values.length);

        LongSort.selectSmallest(values, offset, values.length, count);

        final long[] taken = Arrays.copyOfRange(values, offset, offset + count);
        Arrays.sort(taken);
        assertArrayEquals(Arrays.copyOfRange(sorted, offset, offset + count), taken);
        final long[] all = Arrays.copyOfRange(values, offset, values.length);
        Arrays.sort(all);
        assertArrayEquals(Arrays.copyOfRange(sorted, offset, values.length), all, "a permutation of the range");
    }

    @Test
    void sortingAViewOfAscendingRunsAllocatesNothing()
    {
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long[] view = new long[128];
        for (int i = 0; i < 10_000; i++)
        {
            fillRuns(view, i);
            LongSort.sort(view, 0, view.length);
        }
        final long[] allocatedByWindow = new long[3];
        for (int window = 0; window < allocatedByWindow.length; window++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000; i++)
            {
                fillRuns(view, i);
                LongSort.sort(view, 0, view.length);
            }
            allocatedByWindow[window] = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertEquals(0, Arrays.stream(allocatedByWindow).min().orElseThrow(), Arrays.toString(allocatedByWindow));
    }

    /**
     * Four ascending runs of 32 keys, as a view gathered from four grid cells is.
     */
    private static void fillRuns(final long[] view, final int seed)
    {
        for (int i = 0; i < view.length; i++)
        {
            view[i] = ((long)((i / 32 * 7 % 4) * 1000 + i % 32 + seed % 7) << 32) | i;
        }
    }
}
