package io.tickwire.jmh.sim;

import io.tickwire.jmh.AbstractBenchmark;
import io.tickwire.sim.ShardConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One tick of one arena room of {@code entities} NPCs with no clients: the game's step, the capture into the
 * entity table, the record into the world history and the interest grid rebuild. This is the per-room cost that
 * does not depend on clients; {@link ShardTickBenchmark} adds the clients. The baseline is a duty cycle with no
 * tick due.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RoomStepBenchmark extends AbstractBenchmark
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
