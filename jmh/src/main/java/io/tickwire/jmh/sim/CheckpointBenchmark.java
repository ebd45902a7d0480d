package io.tickwire.jmh.sim;

import io.tickwire.jmh.AbstractBenchmark;
import io.tickwire.sim.ShardConfig;
import io.tickwire.sim.checkpoint.CheckpointCodec;
import io.tickwire.sim.checkpoint.CheckpointFormatException;
import io.tickwire.sim.checkpoint.CheckpointFrame;
import io.tickwire.sim.checkpoint.RoomSnapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Checkpoints of one arena room of {@code entities} NPCs and 16 clients. On the shard thread: a tick that also
 * checkpoints the room (platform state by reference, the arena's save into the frame's buffer, CRC32C of the
 * capture, the offer to a sink that releases the frame at once), against the same tick without checkpoints (the
 * baseline): the difference is the shard's cost of a checkpoint, which must allocate nothing. Off the shard: the
 * Kryo encoding of the frame ({@link CheckpointCodec#write}) and its decoding, which allocate by design (cold,
 * once per interval per room, on the cluster thread). Run with {@code -prof gc}.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CheckpointBenchmark extends AbstractBenchmark
{
    private static final int CLIENTS = 16;

    @Param({"200", "3000"})
    public int entities;

    private ShardHarness checkpointing;
    private ShardHarness plain;
    private CheckpointFrame lastFrame;
    private byte[] encoded;

    @Setup(Level.Trial)
    public void setUp()
    {
        final ShardConfig config = ShardConfig.defaults();
        final Map<String, String> options = Map.of("npcs", Integer.toString(entities));
        checkpointing = new ShardHarness(config.withCheckpoints(1, 30, frame ->
        {
            lastFrame = frame;
            frame.release();
            return true;
        }), ShardHarness.arena(config, options), CLIENTS);
        plain = new ShardHarness(config, ShardHarness.arena(config, options), CLIENTS);
        checkpointing.tick();
        checkpointing.tick();
        encoded = CheckpointCodec.write(lastFrame);
    }

    @Benchmark
    public int tickWithCheckpoint()
    {
        return checkpointing.tick();
    }

    @Benchmark
    public int baselineTick()
    {
        return plain.tick();
    }

    @Benchmark
    public byte[] kryoWrite()
    {
        return CheckpointCodec.write(lastFrame);
    }

    @Benchmark
    public RoomSnapshot kryoRead() throws CheckpointFormatException
    {
        return CheckpointCodec.read(encoded);
    }
}
