package io.tickwire.jmh.sim;

import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.WireFormat;
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
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One whole shard tick of the reference workload, driven by hand: each client's input (a random walk that turns
 * with probability 0.02 per tick, carrying its ack of the last snapshot) through the ring, then the tick: step one
 * arena room of 200 NPCs plus {@code clients} players, capture it, and for every client the interest query (radius 100,
 * or everything when {@code viewRadius} is 0), the delta against its acknowledged snapshot, and the hand-off to its
 * link. The baseline is the same cycle with no tick due (drain the empty ring, check the clock), the fixed cost of an
 * idle duty cycle.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class ShardTickBenchmark
{
    private static final double TURN_CHANCE = 0.02;

    @Param({"10", "100", "1000"})
    public int clients;

    @Param({"100", "0"})
    public double viewRadius;

    private final long[] nowNs = {0};
    private final ClientMessageFlyweight input = new ClientMessageFlyweight();
    private final SplittableRandom random = new SplittableRandom(7);
    private NullLink[] links;
    private int[] moveXs;
    private int[] moveYs;
    private InputRing ring;
    private ShardAgent shard;
    private long tickPeriodNs;
    private int inputSeq;

    @Setup(Level.Trial)
    public void setUp()
    {
        final ShardConfig defaults = ShardConfig.defaults();
        final ShardConfig config = new ShardConfig(
            defaults.tickRateHz(), defaults.maxCatchUpTicks(), defaults.ringCapacity(), defaults.maxRoomsPerShard(),
            defaults.maxClientsPerRoom(), defaults.maxEntitiesPerRoom(), defaults.maxInputsPerTick(),
            defaults.pendingInputCapacity(), defaults.historyWindowTicks(), viewRadius, defaults.viewHysteresis(),
            defaults.maxEntitiesPerSnapshot(), defaults.checksums());
        tickPeriodNs = config.tickPeriodNs();
        ring = new InputRing(4096);
        shard = new ShardAgent(
            0, config, ArenaConfig.defaults(), ring, new ShardRouter(1), () -> nowNs[0], FailOnError.INSTANCE,
            new ShardCounters(), List.of());
        links = new NullLink[clients];
        moveXs = new int[clients];
        moveYs = new int[clients];
        for (int i = 0; i < clients; i++)
        {
            links[i] = new NullLink(i + 1);
            turn(i);
            ring.tryPublishJoin(links[i], new JoinRequest("bench", "bot" + i));
        }
        shard.doWork();
        input.wrap(new UnsafeBuffer(new byte[ClientMessageFlyweight.INPUT_LENGTH]), 0,
            ClientMessageFlyweight.INPUT_LENGTH);
        input.type(WireFormat.TYPE_INPUT).buttons(0);
    }

    @Benchmark
    public int tick()
    {
        inputSeq++;
        for (int i = 0; i < links.length; i++)
        {
            if (random.nextDouble() < TURN_CHANCE)
            {
                turn(i);
            }
            input.ack(links[i].lastSnapshotSeq).inputSeq(inputSeq).moveX(moveXs[i]).moveY(moveYs[i]);
            ring.tryPublishMessage(links[i], input);
        }
        nowNs[0] += tickPeriodNs;
        return shard.doWork();
    }

    private void turn(final int client)
    {
        final double heading = random.nextDouble() * 2 * Math.PI;
        moveXs[client] = (int)Math.round(Math.cos(heading) * ClientMessageFlyweight.MAX_MOVE);
        moveYs[client] = (int)Math.round(Math.sin(heading) * ClientMessageFlyweight.MAX_MOVE);
    }

    @Benchmark
    public int baselineIdleCycle()
    {
        return shard.doWork();
    }
}
