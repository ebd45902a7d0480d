package io.tickwire.sim;

/**
 * Fixed-timestep scheduler: says how many ticks are due at a given time, with bounded catch-up. Ticks fall on a
 * grid of {@code tickPeriodNs} from the start time; after a stall at most {@code maxCatchUpTicks} run back to back,
 * the rest are skipped and counted as overruns, and the grid restarts from now so a slow machine never enters a
 * death spiral. Owned by one thread; time is passed in.
 */
public final class FixedStep
{
    private final long tickPeriodNs;
    private final int maxCatchUpTicks;
    private long nextTickNs;
    private long tick;
    private long catchUpTicks;
    private long overrunTicks;
    private long lastLatenessNs;

    /**
     * @param tickPeriodNs    time between ticks.
     * @param maxCatchUpTicks most ticks run in one call after a stall, at least 1.
     * @param startNs         time of the first tick.
     */
    public FixedStep(final long tickPeriodNs, final int maxCatchUpTicks, final long startNs)
    {
        if (tickPeriodNs <= 0 || maxCatchUpTicks < 1)
        {
            throw new IllegalArgumentException("tickPeriodNs=" + tickPeriodNs + " maxCatchUpTicks=" + maxCatchUpTicks);
        }
        this.tickPeriodNs = tickPeriodNs;
        this.maxCatchUpTicks = maxCatchUpTicks;
        this.nextTickNs = startNs;
    }

    /**
     * Claims the ticks due at {@code nowNs}; the caller runs exactly that many, in order.
     *
     * @return the number of ticks to run now, 0 to {@code maxCatchUpTicks}.
     */
    public int claimDueTicks(final long nowNs)
    {
        final long lateNs = nowNs - nextTickNs;
        if (lateNs < 0)
        {
            return 0;
        }

        lastLatenessNs = lateNs;
        final long due = lateNs / tickPeriodNs + 1;
        final int run = (int)Math.min(due, maxCatchUpTicks);
        if (due > maxCatchUpTicks)
        {
            overrunTicks += due - maxCatchUpTicks;
            nextTickNs = nowNs + tickPeriodNs;
        }
        else
        {
            nextTickNs += run * tickPeriodNs;
        }
        catchUpTicks += run - 1;
        tick += run;
        return run;
    }

    /**
     * @return whether a tick is due at {@code nowNs}: {@link #claimDueTicks(long)} would claim at least one.
     */
    public boolean isDue(final long nowNs)
    {
        return nowNs - nextTickNs >= 0;
    }

    /**
     * @return when the next tick falls due, on the clock passed in.
     */
    public long nextTickNs()
    {
        return nextTickNs;
    }

    public long tickPeriodNs()
    {
        return tickPeriodNs;
    }

    /**
     * @return ticks claimed since start.
     */
    public long tickCount()
    {
        return tick;
    }

    /**
     * @return ticks that ran back to back to catch up after a late start.
     */
    public long catchUpTicks()
    {
        return catchUpTicks;
    }

    /**
     * @return ticks skipped because more than {@code maxCatchUpTicks} were due at once.
     */
    public long overrunTicks()
    {
        return overrunTicks;
    }

    /**
     * @return how late the most recent due tick was claimed, in nanoseconds.
     */
    public long lastLatenessNs()
    {
        return lastLatenessNs;
    }
}
