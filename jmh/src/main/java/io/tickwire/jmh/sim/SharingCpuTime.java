package io.tickwire.jmh.sim;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link ShardTickBenchmark}'s tick with shared snapshot bodies on and off, measured in thread CPU time rather than
 * wall time, in interleaved batches within one JVM: on a machine shared with other work, wall-clock JMH scores of
 * the two differ by more than their own error bars from run to run, while CPU time per batch barely moves. Prints the
 * minimum and median CPU time per tick and the median per client-snapshot.
 * <pre>
 *   java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp jmh/target/tickwire-benchmarks.jar \
 *     io.tickwire.jmh.sim.SharingCpuTime clients viewRadius ticksPerBatch      (viewRadius 0: interest off)
 * </pre>
 */
public final class SharingCpuTime
{
    private static final int WARM_BATCHES = 5;
    private static final int BATCHES = 21;

    private SharingCpuTime()
    {
    }

    public static void main(final String[] args)
    {
        final int clients = Integer.parseInt(args[0]);
        final double viewRadius = Double.parseDouble(args[1]);
        final int ticksPerBatch = Integer.parseInt(args[2]);
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final ShardTickBenchmark sharing = benchmark(clients, viewRadius, "on");
        final ShardTickBenchmark alone = benchmark(clients, viewRadius, "off");
        for (int i = 0; i < WARM_BATCHES; i++)
        {
            cpuNs(sharing, ticksPerBatch, threads);
            cpuNs(alone, ticksPerBatch, threads);
        }
        final long[] sharingNs = new long[BATCHES];
        final long[] aloneNs = new long[BATCHES];
        for (int i = 0; i < BATCHES; i++)
        {
            sharingNs[i] = cpuNs(sharing, ticksPerBatch, threads) / ticksPerBatch;
            aloneNs[i] = cpuNs(alone, ticksPerBatch, threads) / ticksPerBatch;
        }
        Arrays.sort(sharingNs);
        Arrays.sort(aloneNs);
        System.out.printf("clients %d, view radius %s: CPU per tick, sharing on: min %.1f us, median %.1f us; " +
            "off: min %.1f us, median %.1f us; per client-snapshot (median): on %d ns, off %d ns%n",
            clients, args[1], sharingNs[0] / 1e3, sharingNs[BATCHES / 2] / 1e3, aloneNs[0] / 1e3,
            aloneNs[BATCHES / 2] / 1e3, sharingNs[BATCHES / 2] / clients, aloneNs[BATCHES / 2] / clients);
    }

    private static ShardTickBenchmark benchmark(final int clients, final double viewRadius, final String sharing)
    {
        final ShardTickBenchmark benchmark = new ShardTickBenchmark();
        benchmark.clients = clients;
        benchmark.viewRadius = viewRadius;
        benchmark.sharing = sharing;
        benchmark.setUp();
        return benchmark;
    }

    private static long cpuNs(final ShardTickBenchmark benchmark, final int ticks, final ThreadMXBean threads)
    {
        final long startNs = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < ticks; i++)
        {
            benchmark.runTick();
        }
        return threads.getCurrentThreadCpuTime() - startNs;
    }
}
