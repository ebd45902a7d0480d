package io.tickwire.jmh.sim;

import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.Sequence;
import io.tickwire.games.arena.ArenaGame;
import io.tickwire.jmh.AbstractBenchmark;
import io.tickwire.jmh.ring.NetInputPath;
import io.tickwire.sim.ShardConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One whole shard tick of the reference workload, driven by hand: each client's INPUT frame (a random walk that
 * turns with probability 0.02 per tick, carrying its ack of the snapshot {@code ackLag} before its last), taken as
 * the event loop takes it (header validated, values decoded against the arena's input schema, published into the
 * ring), then the tick:
 * step one arena room of 200 NPCs plus {@code clients} players, capture it, and for every client the interest
 * query (radius 100, or everything when {@code viewRadius} is 0), the delta against its acknowledged snapshot, and
 * the hand-off to its link (with {@code sharing} on, one encode per distinct body: interest off, all clients ack the
 * same snapshot and share one). With {@code evictBytes} above 0 each tick starts with the shard's data out of the
 * caches, as in a live server ({@link Caches}). The baseline is the same cycle with no tick due (drain the empty
 * ring, check the clock), the fixed cost of an idle duty cycle.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ShardTickBenchmark extends AbstractBenchmark
{
    private static final double TURN_CHANCE = 0.02;

    /**
     * Ticks run before measuring: every entry of each client's view history (one per snapshot of the history
     * window, rounded up to a power of two) has then grown to its largest view once, as on a server that has run
     * for two seconds, so {@code -prof gc} shows the steady state rather than the first fill.
     */
    private static final int WARM_TICKS = 64;

    @Param({"10", "100", "1000"})
    public int clients;

    @Param({"100", "0"})
    public double viewRadius;

    /**
     * Whether clients with byte-identical snapshot bodies share one encode ({@code on}, the server's way) or each
     * is encoded alone ({@code off}, the way before shared bodies): interest off shows the saving, interest on the
     * cost of trying.
     */
    @Param({"on", "off"})
    public String sharing;

    /**
     * Snapshots between the one a client's INPUT acknowledges and the last it was sent: 0 acknowledges the last
     * (a client whose snapshot arrived before its next input), 2 a client whose acknowledgements trail by two
     * snapshots, so its history keeps three live views.
     */
    @Param({"0", "2"})
    public int ackLag;

    private final SplittableRandom random = new SplittableRandom(7);
    private final ClientMessageFlyweight message = new ClientMessageFlyweight();
    private final int[] move = new int[ArenaGame.INPUT_SCHEMA.fieldCount()];
    private ShardHarness harness;
    private NetInputPath net;
    private UnsafeBuffer[] frames;
    private int[] frameLengths;
    private int inputSeq;

    @Setup(Level.Trial)
    public void setUp()
    {
        final ShardConfig config = ShardHarness.config(viewRadius);
        harness = new ShardHarness(config, ShardHarness.arena(config, Map.of()), clients);
        if ("off".equals(sharing))
        {
            harness.shard.snapshotBodies(null);
        }
        net = new NetInputPath(harness.type.inputSchema());
        frames = new UnsafeBuffer[clients];
        frameLengths = new int[clients];
        for (int i = 0; i < clients; i++)
        {
            frames[i] = new UnsafeBuffer(ByteBuffer.allocateDirect(net.codec().maxLength()));
            turn(i);
        }
        for (int i = 0; i < WARM_TICKS; i++)
        {
            runTick();
        }
    }

    /**
     * The caches a tick starts with: memory written between ticks, outside the measured time.
     */
    @State(Scope.Thread)
    public static class Caches
    {
        /**
         * Bytes written between ticks: 0 leaves the tick's data in the caches from the tick before, as nothing else
         * runs here; 8 MiB (four times this machine's L2 per core) evicts it, as on a server whose event loop shares
         * the core and whose kernel work for a thousand sockets passes through the caches between two ticks. The
         * shard's per-client reads then miss the way they do in a live server. JMH times each call on its own when a
         * setup runs per call, which adds some tens of nanoseconds to ticks of tens of microseconds and more. The
         * whole suite runs 0; {@code -p evictBytes=0,8388608} compares.
         */
        @Param({"0"})
        public int evictBytes;

        private long[] lines;

        @Setup(Level.Trial)
        public void setUp()
        {
            if (evictBytes < 0)
            {
                throw new IllegalArgumentException("evictBytes must not be negative: " + evictBytes);
            }
            lines = new long[evictBytes / Long.BYTES];
        }

        /**
         * Writes every cache line of {@link #evictBytes}.
         */
        @Setup(Level.Invocation)
        public void evict()
        {
            for (int i = 0; i < lines.length; i += 8)
            {
                lines[i]++;
            }
        }
    }

    /**
     * @param caches the caches the tick starts with: JMH evicts them before each call, outside the measured time.
     */
    @Benchmark
    public int tick(final Caches caches)
    {
        return runTick();
    }

    /**
     * One tick: every client's INPUT taken and published, then the shard's cycle.
     */
    int runTick()
    {
        inputSeq++;
        final NullLink[] links = harness.links;
        for (int i = 0; i < links.length; i++)
        {
            if (random.nextDouble() < TURN_CHANCE)
            {
                turn(i);
            }
            message.wrap(frames[i], 0, frameLengths[i]).ack(ackOf(links[i].lastSnapshotSeq)).inputSeq(inputSeq);
            net.publish(harness.ring, links[i], message);
        }
        return harness.tick();
    }

    @Benchmark
    public int baselineIdleCycle()
    {
        return harness.idle();
    }

    private int ackOf(final int lastSnapshotSeq)
    {
        return lastSnapshotSeq > ackLag ? lastSnapshotSeq - ackLag : Sequence.NONE;
    }

    /**
     * A new heading at full stick, encoded as the client encodes its INPUT.
     */
    private void turn(final int client)
    {
        final double heading = random.nextDouble() * 2 * Math.PI;
        move[ArenaGame.INPUT_MOVE_X] = (int)Math.round(Math.cos(heading) * ArenaGame.MAX_MOVE);
        move[ArenaGame.INPUT_MOVE_Y] = (int)Math.round(Math.sin(heading) * ArenaGame.MAX_MOVE);
        frameLengths[client] = net.codec().encode(frames[client], 0, 0, Math.max(1, inputSeq), 0, move);
    }
}
