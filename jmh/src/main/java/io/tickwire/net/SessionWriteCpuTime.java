package io.tickwire.net;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link SessionWriteBenchmark}'s tick with each way of writing (batched through io_uring, direct, through the
 * pipeline), measured in the event loop thread's CPU time (user and system apart) rather than wall time, in
 * interleaved batches within one JVM: on a machine shared with other work, wall-clock scores move more between runs
 * than the difference sought, while CPU time per batch barely moves. Prints the median CPU time per frame of each,
 * its ratio to the direct writes', and the offering thread's (the shard's side of the hand-off: framing into the
 * session's own slot, the pending slot's swap, the loop's queue).
 * <pre>
 *   java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp jmh/target/tickwire-benchmarks.jar \
 *     io.tickwire.net.SessionWriteCpuTime ticksPerBatch
 * </pre>
 */
public final class SessionWriteCpuTime
{
    private static final int WARM_BATCHES = 5;
    private static final int BATCHES = 21;
    /** The ways of writing measured, the direct writes first: the others' ratios are to them. */
    private static final String[] WRITES = {"direct", "batched", "pipeline"};

    private SessionWriteCpuTime()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int ticksPerBatch = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final SessionWriteBenchmark[] benchmarks = new SessionWriteBenchmark[WRITES.length];
        try
        {
            final long[] loops = new long[WRITES.length];
            final long[][][] ns = new long[WRITES.length][3][BATCHES];
            for (int w = 0; w < WRITES.length; w++)
            {
                benchmarks[w] = benchmark(WRITES[w]);
                loops[w] = benchmarks[w].loopThreadId();
            }
            for (int i = 0; i < WARM_BATCHES + BATCHES; i++)
            {
                for (int w = 0; w < WRITES.length; w++)
                {
                    measure(benchmarks[w], loops[w], ticksPerBatch, threads, ns[w], i - WARM_BATCHES);
                }
            }
            final double frames = (double)ticksPerBatch * SessionWriteBenchmark.CONNECTIONS;
            final double directCpu = median(ns[0][0]) / frames;
            final double directUser = median(ns[0][1]) / frames;
            System.out.printf("event loop CPU per frame (medians of %d batches of %d ticks x %d connections):%n",
                BATCHES, ticksPerBatch, SessionWriteBenchmark.CONNECTIONS);
            for (int w = 0; w < WRITES.length; w++)
            {
                final double cpu = median(ns[w][0]) / frames;
                final double user = median(ns[w][1]) / frames;
                System.out.printf("  %-8s %.0f ns (user %.0f, system %.0f), / direct %.2f (user %.2f); the offering " +
                    "thread's CPU per frame %.0f ns%n", WRITES[w], cpu, user, cpu - user, cpu / directCpu,
                    user / directUser, median(ns[w][2]) / frames);
            }
        }
        finally
        {
            for (final SessionWriteBenchmark benchmark : benchmarks)
            {
                if (benchmark != null)
                {
                    benchmark.tearDown();
                }
            }
        }
    }

    private static SessionWriteBenchmark benchmark(final String writes) throws Exception
    {
        final SessionWriteBenchmark benchmark = new SessionWriteBenchmark();
        benchmark.writes = writes;
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
