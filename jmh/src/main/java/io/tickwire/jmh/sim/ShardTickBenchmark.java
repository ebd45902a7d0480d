package io.tickwire.jmh.sim;

import io.tickwire.codec.control.JoinRequest;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.ShardAgent;
import io.tickwire.sim.ShardConfig;
import io.tickwire.sim.ShardCounters;
import io.tickwire.sim.ShardRouter;
import io.tickwire.sim.arena.ArenaConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One whole shard tick of the reference workload, driven by hand: step one arena room of 200 NPCs plus
 * {@code clients} players, capture it, encode and hand a snapshot to every client. The baseline is the same cycle
 * with no tick due (drain the empty ring, check the clock), the fixed cost of an idle duty cycle.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class ShardTickBenchmark
{
    @Param({"10", "100"})
    public int clients;

    private final long[] nowNs = {0};
    private ShardAgent shard;
    private long tickPeriodNs;

    @Setup(Level.Trial)
    public void setUp()
    {
        final ShardConfig config = ShardConfig.defaults();
        tickPeriodNs = config.tickPeriodNs();
        final InputRing ring = new InputRing(1024);
        shard = new ShardAgent(
            0, config, ArenaConfig.defaults(), ring, new ShardRouter(1), () -> nowNs[0], Throwable::printStackTrace,
            new ShardCounters(), List.of());
        for (int i = 0; i < clients; i++)
        {
            ring.tryPublishJoin(new NullLink(i + 1), new JoinRequest("bench", "bot" + i));
        }
        shard.doWork();
    }

    @Benchmark
    public int tick()
    {
        nowNs[0] += tickPeriodNs;
        return shard.doWork();
    }

    @Benchmark
    public int baselineIdleCycle()
    {
        return shard.doWork();
    }
}
