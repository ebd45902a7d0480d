package io.tickwire.bots;

/**
 * The swarm process's own CPU use over the measurement window: from the later of the warm-up's end and the ramp's end
 * (the last bot's connect time) to the end of the run's duration, before the bots close. A bot-tick is one snapshot
 * received, applied and verified by one bot; its cost is the whole process's CPU (event loops, JIT compiler, GC,
 * kernel time of its syscalls) divided by the bot-ticks of the window, so it is what one more bot at the same snapshot
 * rate would cost the swarm's core.
 * <p>
 * Immutable.
 *
 * @param windowNs     length of the window, in nanoseconds; 0 when the run ended before the window began.
 * @param botTicks     snapshots applied and verified by all bots within the window.
 * @param totalNs      process CPU time in the window (user + system), in nanoseconds; -1 when unknown.
 * @param userNs       of which user time, in nanoseconds; -1 when unknown (off Linux).
 * @param systemNs     of which system (kernel) time, in nanoseconds; -1 when unknown.
 * @param eventLoopsNs CPU time of the bots' event loop threads in the window, in nanoseconds; -1 when unknown.
 * @param eventLoops   event loop threads the bots ran on.
 * @param transport    the sockets' transport: "epoll" or "nio".
 * @param readByPass   connections handed to the event loops' read passes from the run's start to the window's end
 *                     (plain epoll connections, from their handshake on; {@link io.tickwire.io.SocketReadPass}); Netty
 *                     read the others. 0 when no window was measured.
 * @param sentByRing   sends the event loops' send rings took from the run's start to the window's end (a bot's frames
 *                     of a cycle, submitted with the cycle's others in one io_uring submission; {@link BotWrites});
 *                     the others were written one by one. 0 when no window was measured.
 */
public record SwarmCpu(
    long windowNs,
    long botTicks,
    long totalNs,
    long userNs,
    long systemNs,
    long eventLoopsNs,
    int eventLoops,
    String transport,
    long readByPass,
    long sentByRing)
{
    /** No window was measured: a result built without a run. */
    static final SwarmCpu NONE = new SwarmCpu(0, 0, -1, -1, -1, -1, 0, "none", 0, 0);

    private static final double NANOS_PER_SECOND = 1e9;
    private static final double NANOS_PER_MICRO = 1e3;

    /**
     * @return the window's length in seconds; 0 when none was measured.
     */
    double windowSeconds()
    {
        return windowNs / NANOS_PER_SECOND;
    }

    /**
     * @return bot-ticks per second of the window; NaN when none was measured.
     */
    double botTicksPerSecond()
    {
        return windowNs > 0 ? botTicks / windowSeconds() : Double.NaN;
    }

    /**
     * @return user CPU seconds per second of the window; NaN when unknown.
     */
    double userSecondsPerSecond()
    {
        return perSecond(userNs);
    }

    /**
     * @return system CPU seconds per second of the window; NaN when unknown.
     */
    double systemSecondsPerSecond()
    {
        return perSecond(systemNs);
    }

    /**
     * @return process CPU (user + system) per bot-tick, in microseconds; NaN when unknown or no bot-tick.
     */
    double microsPerBotTick()
    {
        return perBotTick(totalNs);
    }

    /**
     * @return user CPU per bot-tick, in microseconds; NaN when unknown or no bot-tick.
     */
    double userMicrosPerBotTick()
    {
        return perBotTick(userNs);
    }

    /**
     * @return system CPU per bot-tick, in microseconds; NaN when unknown or no bot-tick.
     */
    double systemMicrosPerBotTick()
    {
        return perBotTick(systemNs);
    }

    /**
     * @return the event loop threads' CPU per bot-tick, in microseconds (the rest of the process's is the JIT
     * compiler, GC and the swarm's own thread); NaN when unknown or no bot-tick.
     */
    double eventLoopMicrosPerBotTick()
    {
        return perBotTick(eventLoopsNs);
    }

    private double perSecond(final long cpuNs)
    {
        return cpuNs >= 0 && windowNs > 0 ? cpuNs / (double)windowNs : Double.NaN;
    }

    private double perBotTick(final long cpuNs)
    {
        return cpuNs >= 0 && botTicks > 0 ? cpuNs / NANOS_PER_MICRO / botTicks : Double.NaN;
    }
}
