package io.tickwire.bots;

/**
 * Measures the swarm's own CPU over one window: {@link #start} reads the process's and the event loops' CPU time and
 * the bot-ticks so far, {@link #stop} reads them again and gives the differences as a {@link SwarmCpu}.
 * <p>
 * Used by the swarm's own thread only; reads nothing on the bots' event loops.
 */
final class SwarmCpuMeter
{
    private final long[] loopThreadIds;
    private final String transport;
    private boolean started;
    private long startNs;
    private long startBotTicks;
    private ProcessCpu.Sample startCpu;
    private long startLoopsNs;

    /**
     * @param loopThreadIds ids of the bots' event loop threads.
     * @param transport     the sockets' transport, as the report names it.
     */
    SwarmCpuMeter(final long[] loopThreadIds, final String transport)
    {
        this.loopThreadIds = loopThreadIds.clone();
        this.transport = transport;
    }

    /**
     * Starts the window; a second call does nothing.
     *
     * @param nowNs    the swarm's clock, in nanoseconds.
     * @param botTicks snapshots applied and verified by all bots so far.
     */
    void start(final long nowNs, final long botTicks)
    {
        if (!started)
        {
            started = true;
            startNs = nowNs;
            startBotTicks = botTicks;
            startCpu = ProcessCpu.sample();
            startLoopsNs = loopsCpuNs();
        }
    }

    /**
     * @return whether the window has started.
     */
    boolean isStarted()
    {
        return started;
    }

    /**
     * Ends the window.
     *
     * @param nowNs    the swarm's clock, in nanoseconds.
     * @param botTicks snapshots applied and verified by all bots so far.
     * @param readByPass connections handed to the loops' read passes so far.
     * @param sentByRing sends the loops' send rings took so far.
     * @return the window's figures; {@link SwarmCpu#NONE} when it never started.
     */
    SwarmCpu stop(final long nowNs, final long botTicks, final long readByPass, final long sentByRing)
    {
        if (!started)
        {
            return SwarmCpu.NONE;
        }
        final ProcessCpu.Sample endCpu = ProcessCpu.sample();
        final long endLoopsNs = loopsCpuNs();
        return new SwarmCpu(
            nowNs - startNs,
            botTicks - startBotTicks,
            difference(startCpu.totalNs(), endCpu.totalNs()),
            difference(startCpu.userNs(), endCpu.userNs()),
            difference(startCpu.systemNs(), endCpu.systemNs()),
            difference(startLoopsNs, endLoopsNs),
            loopThreadIds.length,
            transport,
            readByPass,
            sentByRing);
    }

    /**
     * @return the event loop threads' CPU time so far, in nanoseconds; -1 when any is unknown.
     */
    private long loopsCpuNs()
    {
        long total = 0;
        for (final long threadId : loopThreadIds)
        {
            final long cpuNs = ProcessCpu.threadCpuNs(threadId);
            if (cpuNs < 0)
            {
                return -1;
            }
            total += cpuNs;
        }
        return total;
    }

    private static long difference(final long startValue, final long endValue)
    {
        return startValue < 0 || endValue < 0 ? -1 : endValue - startValue;
    }
}
