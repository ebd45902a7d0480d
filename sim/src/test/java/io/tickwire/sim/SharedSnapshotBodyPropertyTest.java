package io.tickwire.sim;

import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;
import io.tickwire.codec.SnapshotHeaderFlyweight;
import io.tickwire.codec.WireFormat;
import io.tickwire.games.arena.ArenaProvider;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared snapshot bodies change no byte: two shards run the same arena room with the same clients doing the same
 * things (inputs, chat lines whose message acks ride on snapshots, acks lost, stale, from the future or withheld,
 * links stalling), one encoding every client's snapshot alone and one sharing bodies; every frame each client
 * receives, snapshots with their checksums included, is byte-identical in the two. Interest is on (rarely
 * shared views) or off (every view shared), so fulls and deltas are met shared and alone.
 */
class SharedSnapshotBodyPropertyTest
{
    @Property(tries = 30)
    void everyClientReceivesTheSameBytesWithOrWithoutSharing(
        @ForAll final long seed,
        @ForAll @IntRange(min = 0, max = 120) final int viewRadiusOrOff,
        @ForAll @IntRange(min = 2, max = 8) final int clients,
        @ForAll @IntRange(min = 1, max = 10) final int windowTicks,
        @ForAll @IntRange(min = 0, max = 6) final int stallOneIn)
    {
        final int viewRadius = viewRadiusOrOff < 40 ? 0 : viewRadiusOrOff;
        final Outcome outcome = run(seed, viewRadius, clients, windowTicks, stallOneIn);
        Statistics.label("interest").collect(viewRadius == 0 ? "off" : "on");
        Statistics.label("shared").collect(outcome.sharedReuses > 0);
        Statistics.label("shared full").collect(outcome.sharedFulls > 0);
        Statistics.label("shared with messageAck").collect(outcome.sharedWithMessageAck > 0);
    }

    /**
     * Interest off with stalls and lost acks: the sharing path is taken for fulls, for deltas and with message acks,
     * so the comparison above covers it.
     */
    @Example
    void theSharedPathIsExercised()
    {
        final Outcome outcome = run(11, 0, 8, 6, 5);
        assertTrue(outcome.sharedReuses > 100, "reuses: " + outcome.sharedReuses);
        assertTrue(outcome.sharedFulls > 0, "full snapshots on a shared body");
        assertTrue(outcome.sharedDeltas > 0, "deltas on a shared body");
        assertTrue(outcome.sharedWithMessageAck > 0, "a shared body behind a header with a message ack");
        assertTrue(outcome.unshared > 0, "some clients alone in their group");
    }

    /**
     * Interest off, half the clients acknowledging their newest snapshot and half the one before: two distinct
     * baselines, so each tick encodes two bodies and every other client reuses one.
     */
    @Example
    void interestOffEncodesOneBodyPerDistinctBaseline()
    {
        final ShardDriver driver = driver(5, 0, 8);
        final List<TestClient> clients = new ArrayList<>();
        for (int i = 1; i <= 8; i++)
        {
            clients.add(configure(driver.join(i, ArenaProvider.NAME, "room")));
        }
        driver.doWork();
        for (int tick = 0; tick < 10; tick++)
        {
            step(driver, clients);
        }
        final long bodies = driver.counters.sharedSnapshotBodies.get();
        final long reuses = driver.counters.sharedSnapshotReuses.get();
        final long encodedBefore = driver.counters.snapshotsSent.get() - reuses;
        for (int tick = 0; tick < 10; tick++)
        {
            step(driver, clients);
        }
        assertEquals(20, driver.counters.sharedSnapshotBodies.get() - bodies, "two bodies a tick");
        assertEquals(60, driver.counters.sharedSnapshotReuses.get() - reuses, "six reuses a tick");
        assertEquals(20, driver.counters.snapshotsSent.get() - driver.counters.sharedSnapshotReuses.get() -
            encodedBefore, "an encode per distinct baseline, not per client");
    }

    private static void step(final ShardDriver driver, final List<TestClient> clients)
    {
        for (int c = 0; c < clients.size(); c++)
        {
            final TestClient client = clients.get(c).read();
            final int applied = client.decoder == null ? 0 : client.decoder.ackSeq();
            client.ack = c % 2 == 0 ? applied : Math.max(0, applied - 1);
            client.input(0, 0, 0, 0);
        }
        driver.tick(1);
    }

    private static Outcome run(
        final long seed, final int viewRadius, final int clientCount, final int windowTicks, final int stallOneIn)
    {
        final ShardDriver alone = driver(seed, viewRadius, windowTicks);
        alone.shard.snapshotBodies(null);
        final ShardDriver sharing = driver(seed, viewRadius, windowTicks);
        final List<TestClient> aloneClients = new ArrayList<>();
        final List<TestClient> sharingClients = new ArrayList<>();
        for (int i = 1; i <= clientCount; i++)
        {
            aloneClients.add(configure(alone.join(i, ArenaProvider.NAME, "room")));
            sharingClients.add(configure(sharing.join(i, ArenaProvider.NAME, "room")));
        }
        alone.doWork();
        sharing.doWork();

        final Outcome outcome = new Outcome();
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] compared = new int[clientCount];
        for (int tick = 0; tick < 90; tick++)
        {
            for (int c = 0; c < clientCount; c++)
            {
                final int stall = stallOneIn == 0 ? 1 : random.nextInt(stallOneIn);
                final int ackRoll = random.nextInt(12);
                final int moveX = random.nextInt(-127, 128);
                final int moveY = random.nextInt(-127, 128);
                final boolean chat = random.nextInt(5) == 0;
                act(alone, aloneClients.get(c), stall, ackRoll, moveX, moveY, chat);
                act(sharing, sharingClients.get(c), stall, ackRoll, moveX, moveY, chat);
            }
            alone.tick(1);
            sharing.tick(1);
            for (int c = 0; c < clientCount; c++)
            {
                compared[c] = compare(aloneClients.get(c).link, sharingClients.get(c).link, compared[c], outcome);
            }
        }

        for (int c = 0; c < clientCount; c++)
        {
            assertEquals(0, sharingClients.get(c).read().decoder.checksumMismatches());
        }
        assertEquals(0, alone.counters.sharedSnapshotReuses.get());
        assertEquals(alone.counters.snapshotBytes.get(), sharing.counters.snapshotBytes.get());
        assertEquals(List.of(), alone.errors);
        assertEquals(List.of(), sharing.errors);
        outcome.sharedReuses = sharing.counters.sharedSnapshotReuses.get();
        return outcome;
    }

    private static ShardDriver driver(final long seed, final int viewRadius, final int windowTicks)
    {
        final ShardConfig config = new ShardConfig(
            ShardDriver.TICK_RATE_HZ, 3, 1024, 4, 4, 16, windowTicks, viewRadius, 10, 40, true, 256, seed);
        final GameType arena = new ArenaProvider().create(new GameSettings(ShardDriver.TICK_RATE_HZ, seed, Map.of(
            "worldSize", "400", "npcs", "30", "npcSpeed", "60", "npcTurnChance", "0.05", "playerSpeed", "120")));
        return new ShardDriver(config, 4, List.of(arena), ex ->
        {
            throw new AssertionError(ex);
        });
    }

    private static TestClient configure(final TestClient client)
    {
        client.autoAck = false;
        return client;
    }

    /**
     * One client's turn, the same in both shards: its link stalls (one tick in {@code stallOneIn}), it acknowledges
     * its newest snapshot or a lost, stale or future one, moves, and sometimes chats.
     */
    private static void act(
        final ShardDriver driver, final TestClient client, final int stall, final int ackRoll, final int moveX,
        final int moveY, final boolean chat)
    {
        client.read();
        client.link.writable = stall != 0;
        final int applied = client.decoder == null ? 0 : client.decoder.ackSeq();
        client.ack = ackRoll == 0 ? applied + 500 : ackRoll == 1 ? Math.max(0, applied - 3) :
            ackRoll == 2 ? client.ack : applied;
        client.input(0, moveX, moveY, 0);
        if (chat)
        {
            driver.publishMessage(client.link, client.type, client.ack, ++client.messageSeq, ArenaProvider.CHAT,
                0, "gg");
        }
    }

    /**
     * Compares the frames the two links received since {@code from}, and notes what the shared snapshots were.
     *
     * @return the frames compared so far.
     */
    private static int compare(final RecordingLink alone, final RecordingLink sharing, final int from,
        final Outcome outcome)
    {
        assertEquals(alone.frames.size(), sharing.frames.size(), "frames received");
        final SnapshotHeaderFlyweight header = new SnapshotHeaderFlyweight();
        for (int i = from; i < alone.frames.size(); i++)
        {
            final byte[] expected = alone.frames.get(i);
            assertArrayEquals(expected, sharing.frames.get(i), "frame " + i + " of client " + alone.sessionId);
            if (expected[0] == WireFormat.TYPE_SNAPSHOT)
            {
                header.wrap(new UnsafeBuffer(expected), 0);
                if (sharing.sharedOffers.contains(i))
                {
                    outcome.sharedFulls += header.baselineSeq() == 0 ? 1 : 0;
                    outcome.sharedDeltas += header.baselineSeq() != 0 ? 1 : 0;
                    outcome.sharedWithMessageAck += header.hasMessageAck() ? 1 : 0;
                }
                else
                {
                    outcome.unshared++;
                }
            }
        }
        return alone.frames.size();
    }

    private static final class Outcome
    {
        long sharedReuses;
        long sharedFulls;
        long sharedDeltas;
        long sharedWithMessageAck;
        long unshared;
    }
}
