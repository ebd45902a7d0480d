package io.tickwire.jmh.sim;

import io.tickwire.sim.ShardConfig;
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

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One tick of one arena room of {@code entities} NPCs with no clients: the game's step, the capture into the
 * entity table, the record into the world history and the interest grid rebuild. This is the per-room cost that
 * does not depend on clients; {@link ShardTickBenchmark} adds the clients. The baseline is a duty cycle with no
 * tick due.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class RoomStepBenchmark
{
    @Param({"100", "1000"})
    public int entities;

    private ShardHarness harness;

    @Setup(Level.Trial)
    public void setUp()
    {
        final ShardConfig config = ShardConfig.defaults();
        harness = new ShardHarness(
            config, ShardHarness.arena(config, Map.of("npcs", Integer.toString(entities))), 0);
    }

    @Benchmark
    public int step()
    {
        return harness.tick();
    }

    @Benchmark
    public int baselineIdleCycle()
    {
        return harness.idle();
    }
}
