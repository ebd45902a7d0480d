package io.tickwire.sim;

/**
 * Sorts a range of a {@code long[]} ascending, in place and without allocating. {@link java.util.Arrays#sort(long[],
 * int, int)} allocates a run-merge buffer on JDK 17 when a range of 44 or more starts with a long ascending run,
 * which is exactly what a view built from grid cells looks like. {@link RowOrder} sorts with it the views much
 * sparser than their room, the fan-out takes a capped view's nearest entities with {@link #selectSmallest}, and
 * {@link RankOrder} orders a tick's snapshots with it, in the shard and in each event loop (packed keys, distinct,
 * often with long sorted runs).
 * <p>
 * Quicksort with a median-of-three pivot, insertion sort below {@link #INSERTION_THRESHOLD}, and recursion on the
 * smaller side only, so the stack stays logarithmic. Not stable (keys are distinct here).
 */
public final class LongSort
{
    private static final int INSERTION_THRESHOLD = 24;

    private LongSort()
    {
    }

    /**
     * Sorts {@code values[from..to)} ascending.
     */
    public static void sort(final long[] values, final int from, final int to)
    {
        int low = from;
        int high = to - 1;
        while (high - low >= INSERTION_THRESHOLD)
        {
            final int split = partition(values, low, high);
            if (split - low < high - split)
            {
                sort(values, low, split);
                low = split + 1;
            }
            else
            {
                sort(values, split + 1, high + 1);
                high = split - 1;
            }
        }
        insertionSort(values, low, high);
    }

    /**
     * Moves the {@code count} smallest of {@code values[from..to)} to {@code values[from..from + count)}, in no
     * particular order (quickselect): linear on average, where sorting the range to take its head is not. Keys are
     * distinct, so the set taken is exactly a sort's first {@code count}.
     */
    static void selectSmallest(final long[] values, final int from, final int to, final int count)
    {
        final int target = from + count;
        int low = from;
        int high = to - 1;
        while (high - low >= INSERTION_THRESHOLD)
        {
            final int split = partition(values, low, high);
            if (split == target || split == target - 1)
            {
                return;
            }
            if (split < target)
            {
                low = split + 1;
            }
            else
            {
                high = split - 1;
            }
        }
        insertionSort(values, low, high);
    }

    /**
     * Partitions {@code values[low..high]} around a median-of-three pivot.
     *
     * @return the pivot's final index: smaller values are before it, larger or equal after.
     */
    private static int partition(final long[] values, final int low, final int high)
    {
        final int middle = (low + high) >>> 1;
        if (values[middle] < values[low])
        {
            swap(values, middle, low);
        }
        if (values[high] < values[low])
        {
            swap(values, high, low);
        }
        if (values[high] < values[middle])
        {
            swap(values, high, middle);
        }
        swap(values, middle, high);
        final long pivot = values[high];
        int store = low;
        for (int i = low; i < high; i++)
        {
            if (values[i] < pivot)
            {
                swap(values, i, store++);
            }
        }
        swap(values, store, high);
        return store;
    }

    private static void insertionSort(final long[] values, final int low, final int high)
    {
        for (int i = low + 1; i <= high; i++)
        {
            final long value = values[i];
            int j = i - 1;
            while (j >= low && values[j] > value)
            {
                values[j + 1] = values[j];
                j--;
            }
            values[j + 1] = value;
        }
    }

    private static void swap(final long[] values, final int i, final int j)
    {
        final long value = values[i];
        values[i] = values[j];
        values[j] = value;
    }
}
