package io.tickwire.jmh.sim;

import io.tickwire.api.EntityWriter;
import io.tickwire.api.Game;
import io.tickwire.api.GameType;
import io.tickwire.api.Input;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Player;
import io.tickwire.api.RoomContext;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.MessageType;
import io.tickwire.jmh.AbstractBenchmark;
import io.tickwire.sim.ShardConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A room broadcast through the shard: a tiny game whose {@code step} sends one room message (a 16-bit number and
 * 32 bytes of text) to all {@code clients} players, against the same tick without it. Each tick every client ACKs
 * its newest snapshot and stream message through the ring, as a client that received stream messages does, in
 * both variants; each link copies what it is given into its own reused buffer. The broadcast costs the difference:
 * one encode, then per recipient the sequence patch, the copy and the backlog check. Players are one static entity
 * each, so a snapshot is the fan-out's fixed cost. The baseline is a duty cycle with no tick due.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RoomBroadcastBenchmark extends AbstractBenchmark
{
    static final MessageType NEWS = MessageType.toClients(
        1, "news", FieldDef.uint("tick", 65535), FieldDef.text("text", 32));
    static final String TEXT = "round 3 starts in 10 seconds...!";

    @Param({"10", "100"})
    public int clients;

    private ShardHarness harness;
    private BroadcastGame game;

    @Setup(Level.Trial)
    public void setUp()
    {
        final GameType type = GameType.builder("broadcast")
            .entitySchema(new EntitySchema(List.of(FieldDef.uint("score", 1000))))
            .message(NEWS)
            .maxClients(clients)
            .maxEntities(clients)
            .factory(room ->
            {
                game = new BroadcastGame(room);
                return game;
            })
            .build();
        harness = new ShardHarness(ShardConfig.defaults(), type, clients);
        tickWithBroadcast();
        if (harness.links[0].lastStreamSeq == 0)
        {
            throw new IllegalStateException("the broadcast did not reach the clients");
        }
    }

    @Benchmark
    public int tick()
    {
        game.broadcasting = false;
        harness.publishAcks(clients);
        return harness.tick();
    }

    @Benchmark
    public int tickWithBroadcast()
    {
        game.broadcasting = true;
        harness.publishAcks(clients);
        return harness.tick();
    }

    @Benchmark
    public int baselineIdleCycle()
    {
        return harness.idle();
    }

    /**
     * Gives each player a static entity and, while {@link #broadcasting}, sends every player one message per tick.
     */
    static final class BroadcastGame implements Game
    {
        private final RoomContext room;
        boolean broadcasting;

        BroadcastGame(final RoomContext room)
        {
            this.room = room;
        }

        public void onJoin(final Player player)
        {
            player.setEntityId(player.id());
        }

        public void onLeave(final Player player, final LeaveReason reason)
        {
        }

        public void onInput(final Player player, final Input input)
        {
        }

        public void step(final long tick)
        {
            if (broadcasting)
            {
                room.message(NEWS).putInt(0, (int)(tick & 0xFFFF)).putText(1, TEXT).broadcast();
            }
        }

        public void capture(final EntityWriter entities)
        {
            for (int i = 0, n = room.playerCount(); i < n; i++)
            {
                entities.set(entities.add(room.player(i).entityId()), 0, 1);
            }
        }
    }
}
