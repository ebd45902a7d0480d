package io.tickwire.sim;

/**
 * Decides from the shard's own timings whether it is saturated, and how far to lower the snapshot rate of its most
 * expensive clients (see {@link SnapshotFanOut}): level 0 sends every client every tick; each level up sends the
 * clients with the larger snapshots one tick in {@code level + 1} and the others one in {@code level}.
 * <pre>
 *   a ticking cycle is saturated when it took >= 90% of the tick period, or its first tick started a whole period
 *   late or more (a tick was lost); it is relieved when it took <= 50% of the period and started < a quarter period
 *   late.
 *
 *   level L --RAISE_AFTER_CYCLES saturated cycles in a row-->                      L + 1   (at most MAX_LEVEL)
 *   level L --LOWER_AFTER_CYCLES relieved cycles, no saturated one in between-->   L - 1   (at least 0)
 *   a cycle in the band between the thresholds counts for neither (hysteresis: it holds the level); it breaks a
 *   run of saturated cycles, but not a run of relieved ones, so a noisy host that is sometimes a little late
 *   still climbs down
 * </pre>
 * Lowering takes ten times as many cycles as raising: a level's relief is measured at its own reduced rate, so the
 * shard climbs down one step at a time and watches each. Lateness counts only from a whole period on: on a core
 * shared with other processes, ticks start a few milliseconds late whenever the scheduler runs something else first,
 * which sending less would not cure (capacity runs on a loaded machine showed p99 lateness of 12 to 35 ms at 30 Hz
 * with the shard's own cycles far under the period). Time is passed in; shard thread only.
 */
final class OverloadGovernor
{
    static final int MAX_LEVEL = 3;
    static final int RAISE_AFTER_CYCLES = 3;
    static final int LOWER_AFTER_CYCLES = 30;

    private final long saturatedCycleNs;
    private final long saturatedLatenessNs;
    private final long relievedCycleNs;
    private final long relievedLatenessNs;
    private int level;
    private int saturatedRun;
    private int relievedRun;

    /**
     * @param tickPeriodNs the shard's tick period.
     */
    OverloadGovernor(final long tickPeriodNs)
    {
        saturatedCycleNs = tickPeriodNs * 9 / 10;
        saturatedLatenessNs = tickPeriodNs;
        relievedCycleNs = tickPeriodNs / 2;
        relievedLatenessNs = tickPeriodNs / 4;
    }

    /**
     * Records one ticking cycle.
     *
     * @param cycleNs    how long the cycle took, its ticks and snapshots included.
     * @param latenessNs how late after its due time its first tick started.
     * @return the level for the next cycle's snapshots.
     */
    int onCycle(final long cycleNs, final long latenessNs)
    {
        if (cycleNs >= saturatedCycleNs || latenessNs >= saturatedLatenessNs)
        {
            relievedRun = 0;
            if (++saturatedRun >= RAISE_AFTER_CYCLES && level < MAX_LEVEL)
            {
                level++;
                saturatedRun = 0;
            }
        }
        else if (cycleNs <= relievedCycleNs && latenessNs < relievedLatenessNs)
        {
            saturatedRun = 0;
            if (level > 0 && ++relievedRun >= LOWER_AFTER_CYCLES)
            {
                level--;
                relievedRun = 0;
            }
        }
        else
        {
            saturatedRun = 0;
        }
        return level;
    }

    /**
     * @return the current level, 0 to {@link #MAX_LEVEL}.
     */
    int level()
    {
        return level;
    }
}
