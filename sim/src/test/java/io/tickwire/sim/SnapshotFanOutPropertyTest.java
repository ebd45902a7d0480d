package io.tickwire.sim;

import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.SnapshotDecoder;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Welcome;
import io.tickwire.sim.arena.ArenaConfig;
import io.tickwire.sim.arena.ArenaGame;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shard driven by hand on random arena worlds with interest management on or off, random view radii and caps,
 * and clients whose acks are lost, delayed, from the future or stale and whose links stall at random: every
 * snapshot decodes against the client's own history, its checksum matches (the decoder's view is the server's
 * view of that client), and the view obeys the interest rules against the game's true state.
 */
class SnapshotFanOutPropertyTest
{
    private static final int TICK_RATE_HZ = 30;
    private static final long PERIOD_NS = 1_000_000_000L / TICK_RATE_HZ;
    private static final int STEPS_PER_UNIT = ArenaGame.STEPS_PER_UNIT;

    @Property(tries = 40)
    void everyClientDecodesExactlyWhatTheServerMeantItToSee(
        @ForAll final long seed,
        @ForAll @IntRange(min = 0, max = 150) final int viewRadius,
        @ForAll @IntRange(min = 0, max = 30) final int hysteresis,
        @ForAll @IntRange(min = 1, max = 80) final int cap,
        @ForAll @IntRange(min = 1, max = 12) final int windowTicks)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final ShardConfig config = new ShardConfig(
            TICK_RATE_HZ, 3, 1024, 4, 16, 1024, 4, 16, windowTicks, viewRadius, hysteresis, cap, true);
        final ArenaConfig arena = new ArenaConfig(400, 80, 60f, 0.05, 120f, seed);
        final InputRing ring = new InputRing(1024);
        final List<ArenaGame> games = new ArrayList<>();
        final long[] nowNs = {0};
        final ShardCounters counters = new ShardCounters();
        final ShardAgent shard = new ShardAgent(0, config, (name, hz) ->
        {
            final ArenaGame game = (ArenaGame)arena.create(name, hz);
            games.add(game);
            return game;
        }, ring, new ShardRouter(1), () -> nowNs[0], ex ->
        {
            throw new AssertionError(ex);
        }, counters, List.of());

        final List<Client> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++)
        {
            final Client client = new Client(i + 1);
            clients.add(client);
            ring.tryPublishJoin(client.link, new JoinRequest("room", "p" + i));
        }
        shard.doWork();
        for (final Client client : clients)
        {
            client.welcome();
        }

        final ArenaGame game = games.get(0);
        final ClientMessageFlyweight message = new ClientMessageFlyweight().wrap(
            new UnsafeBuffer(new byte[ClientMessageFlyweight.INPUT_LENGTH]), 0, ClientMessageFlyweight.INPUT_LENGTH);
        for (int tick = 0; tick < 120; tick++)
        {
            for (final Client client : clients)
            {
                client.link.writable = random.nextInt(8) != 0;
                final int roll = random.nextInt(10);
                final int ack = roll == 0 ? client.decoder.ackSeq() + 500 :
                    roll == 1 ? Math.max(0, client.decoder.ackSeq() - 3) : client.decoder.ackSeq();
                if (roll != 2)
                {
                    message.type(WireFormat.TYPE_INPUT).ack(ack).inputSeq(++client.inputSeq)
                        .moveX(random.nextInt(-127, 128)).moveY(random.nextInt(-127, 128)).buttons(0);
                    assertTrue(ring.tryPublishMessage(client.link, message));
                }
            }
            nowNs[0] += PERIOD_NS;
            shard.doWork();

            final EntityTable truth = new EntityTable(game.schema(), 1024);
            game.capture(truth);
            for (final Client client : clients)
            {
                client.decodeNew();
                if (client.decoder.ackSeq() != 0 && client.decodedTick == tick + 2)
                {
                    assertInterestRules(client, truth, viewRadius, hysteresis, cap);
                }
            }
        }

        long deltas = 0;
        for (final Client client : clients)
        {
            assertEquals(0, client.decoder.checksumMismatches());
            deltas += client.decoder.deltaSnapshots();
        }
        assertEquals(counters.deltaSnapshots.get(), deltas, "every delta the shard sent was applied");
    }

    private static void assertInterestRules(
        final Client client, final EntityTable truth, final int viewRadius, final int hysteresis, final int cap)
    {
        final SnapshotDecoder view = client.decoder;
        final int own = view.indexOf(client.entityId);
        assertTrue(own >= 0, "own avatar always in view");
        assertEquals(truth.count(), Math.max(truth.count(), view.entityCount()));
        if (viewRadius == 0)
        {
            assertEquals(truth.count(), view.entityCount(), "interest off: everything");
            return;
        }

        assertTrue(view.entityCount() <= cap, "cap");
        final long ownX = view.value(own, ArenaGame.FIELD_X);
        final long ownY = view.value(own, ArenaGame.FIELD_Y);
        final long enter = (long)viewRadius * STEPS_PER_UNIT;
        final long leave = (long)(viewRadius + hysteresis) * STEPS_PER_UNIT;
        int withinEnter = 0;
        for (int row = 0; row < truth.count(); row++)
        {
            final long dx = truth.value(row, ArenaGame.FIELD_X) - ownX;
            final long dy = truth.value(row, ArenaGame.FIELD_Y) - ownY;
            final long distanceSquared = dx * dx + dy * dy;
            final boolean inView = view.indexOf(truth.id(row)) >= 0;
            if (distanceSquared > leave * leave)
            {
                assertTrue(!inView, "nothing beyond the leave radius");
            }
            if (distanceSquared <= enter * enter)
            {
                withinEnter++;
                assertTrue(inView || view.entityCount() == cap, "everything within the radius unless capped");
            }
        }
        assertTrue(view.entityCount() >= Math.min(cap, withinEnter));
    }

    /**
     * A client: a link that records frames, and a decoder that applies them in order.
     */
    private static final class Client
    {
        final RecordingLink link;
        final ControlCodec controlCodec = new ControlCodec();
        SnapshotDecoder decoder;
        int entityId;
        int inputSeq;
        int decoded;
        int decodedTick;

        Client(final long sessionId)
        {
            link = new RecordingLink(sessionId);
        }

        void welcome()
        {
            final byte[] bytes = link.controls.get(0);
            final Welcome welcome = (Welcome)controlCodec.decode(new UnsafeBuffer(bytes), 0, bytes.length);
            entityId = welcome.entityId();
            decoder = new SnapshotDecoder(welcome.schema(), welcome.historyWindowTicks() + 2, 4096);
            decodeNew();
        }

        void decodeNew()
        {
            while (decoded < link.snapshots.size())
            {
                final byte[] bytes = link.snapshots.get(decoded++);
                assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(new UnsafeBuffer(bytes), 0, bytes.length));
                decodedTick = decoder.tick();
            }
        }
    }
}
