package io.tickwire.sim;

import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;
import io.tickwire.codec.SnapshotDecoder;
import io.tickwire.games.arena.ArenaConfig;
import io.tickwire.games.arena.ArenaGame;
import io.tickwire.games.arena.ArenaProvider;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shard driven by hand running the real arena (through the {@link GameType} its provider makes) with interest
 * management on or off, random view radii and caps, and clients whose acks are lost, delayed, from the future or
 * stale and whose links stall at random: every snapshot decodes against the client's own history, its checksum
 * matches (the decoder's view is the server's view of that client), and the view obeys the interest rules against
 * the state the game captured.
 */
class SnapshotFanOutPropertyTest
{
    private static final int STEPS_PER_UNIT = ArenaConfig.STEPS_PER_UNIT;

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
            ShardDriver.TICK_RATE_HZ, 3, 1024, 4, 4, 16, windowTicks, viewRadius, hysteresis, cap, true, 256, seed);
        final GameType arena = new ArenaProvider().create(new GameSettings(ShardDriver.TICK_RATE_HZ, seed, Map.of(
            "worldSize", "400", "npcs", "80", "npcSpeed", "60", "npcTurnChance", "0.05", "playerSpeed", "120")));
        final ShardDriver driver = new ShardDriver(config, 10, List.of(arena), ex ->
        {
            throw new AssertionError(ex);
        });

        final List<TestClient> clients = new ArrayList<>();
        for (int i = 1; i <= 6; i++)
        {
            final TestClient client = driver.join(i, ArenaProvider.NAME, "room");
            client.autoAck = false;
            clients.add(client);
        }
        driver.doWork();

        final EntityTable truth = driver.room("room").entities();
        for (int tick = 0; tick < 120; tick++)
        {
            for (final TestClient client : clients)
            {
                client.read();
                client.link.writable = random.nextInt(8) != 0;
                final int roll = random.nextInt(10);
                final int applied = client.decoder.ackSeq();
                client.ack = roll == 0 ? applied + 500 : roll == 1 ? Math.max(0, applied - 3) : applied;
                if (roll != 2)
                {
                    client.input(0, random.nextInt(-127, 128), random.nextInt(-127, 128), 0);
                }
            }
            driver.tick(1);

            for (final TestClient client : clients)
            {
                client.read();
                if (client.decoder.ackSeq() != 0 && client.decoder.tick() == tick + 2)
                {
                    assertInterestRules(client, truth, viewRadius, hysteresis, cap);
                }
            }
        }

        long deltas = 0;
        for (final TestClient client : clients)
        {
            assertEquals(0, client.decoder.checksumMismatches());
            deltas += client.decoder.deltaSnapshots();
        }
        assertEquals(driver.counters.deltaSnapshots.get(), deltas, "every delta the shard sent was applied");
        assertTrue(driver.counters.acksIgnored.get() > 0, "some acks were from the future or stale");
    }

    private static void assertInterestRules(
        final TestClient client, final EntityTable truth, final int viewRadius, final int hysteresis, final int cap)
    {
        final SnapshotDecoder view = client.decoder;
        final int own = view.indexOf(client.welcome.entityId());
        assertTrue(own >= 0, "own avatar always in view");
        assertTrue(view.entityCount() <= truth.count());
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
                assertFalse(inView, "nothing beyond the leave radius");
            }
            if (distanceSquared <= enter * enter)
            {
                withinEnter++;
                assertTrue(inView || view.entityCount() == cap, "everything within the radius unless capped");
            }
        }
        assertTrue(view.entityCount() >= Math.min(cap, withinEnter));
    }
}
