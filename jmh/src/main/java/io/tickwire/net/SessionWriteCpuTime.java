package io.tickwire.net;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link SessionWriteBenchmark}'s tick with direct writes on and off, measured in the event loop thread's CPU time
 * (user and system apart) rather than wall time, in interleaved batches within one JVM: on a machine shared with
 * other work, wall-clock scores move more between runs than the difference sought, while CPU time per batch barely
 * moves. Prints the median CPU time per frame of each, and the ratio, and the offering thread's (the shard's side of
 * the hand-off: framing into the session's own slot, the pending slot's swap, the loop's queue).
 * <pre>
 *   java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp jmh/target/tickwire-benchmarks.jar \
 *     io.tickwire.net.SessionWriteCpuTime ticksPerBatch
 * </pre>
 */
public final class SessionWriteCpuTime
{
    private static final int WARM_BATCHES = 5;
    private static final int BATCHES = 21;

    private SessionWriteCpuTime()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int ticksPerBatch = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final SessionWriteBenchmark direct = benchmark(true);
        final SessionWriteBenchmark piped = benchmark(false);
        try
        {
            final long directLoop = direct.loopThreadId();
            final long pipedLoop = piped.loopThreadId();
            final long[][] directNs = new long[3][BATCHES];
            final long[][] pipedNs = new long[3][BATCHES];
            for (int i = 0; i < WARM_BATCHES + BATCHES; i++)
            {
                final int batch = i - WARM_BATCHES;
                measure(direct, directLoop, ticksPerBatch, threads, directNs, batch);
                measure(piped, pipedLoop, ticksPerBatch, threads, pipedNs, batch);
            }
            final long frames = (long)ticksPerBatch * SessionWriteBenchmark.CONNECTIONS;
            final double directCpu = median(directNs[0]) / (double)frames;
            final double directUser = median(directNs[1]) / (double)frames;
            final double pipedCpu = median(pipedNs[0]) / (double)frames;
            final double pipedUser = median(pipedNs[1]) / (double)frames;
            System.out.printf("event loop CPU per frame (medians of %d batches of %d ticks x %d connections): " +
                "direct %.0f ns (user %.0f, system %.0f); pipeline %.0f ns (user %.0f, system %.0f); " +
                "direct / pipeline %.2f (user %.2f); the offering thread's CPU per frame: direct %.0f ns, " +
                "pipeline %.0f ns%n", BATCHES, ticksPerBatch, SessionWriteBenchmark.CONNECTIONS,
                directCpu, directUser, directCpu - directUser, pipedCpu, pipedUser, pipedCpu - pipedUser,
                directCpu / pipedCpu, directUser / pipedUser, median(directNs[2]) / (double)frames,
                median(pipedNs[2]) / (double)frames);
        }
        finally
        {
            direct.tearDown();
            piped.tearDown();
        }
    }

    private static SessionWriteBenchmark benchmark(final boolean direct) throws Exception
    {
        final SessionWriteBenchmark benchmark = new SessionWriteBenchmark();
        benchmark.direct = direct;
        benchmark.payloadBytes = 40;
        benchmark.setUp();
        return benchmark;
    }

    /**
     * Runs one batch and records the loop thread's CPU and user nanoseconds in it, and the CPU nanoseconds of this
     * thread, which offers the snapshots as a shard does, unless the batch is a warm-up.
     */
    private static void measure(
        final SessionWriteBenchmark benchmark, final long loopThread, final int ticks, final ThreadMXBean threads,
        final long[][] ns, final int batch)
    {
        final long cpu0 = threads.getThreadCpuTime(loopThread);
        final long user0 = threads.getThreadUserTime(loopThread);
        final long offering0 = threads.getCurrentThreadCpuTime();
        for (int t = 0; t < ticks; t++)
        {
            benchmark.tick();
        }
        if (batch >= 0)
        {
            ns[0][batch] = threads.getThreadCpuTime(loopThread) - cpu0;
            ns[1][batch] = threads.getThreadUserTime(loopThread) - user0;
            ns[2][batch] = threads.getCurrentThreadCpuTime() - offering0;
        }
    }

    private static long median(final long[] values)
    {
        final long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
