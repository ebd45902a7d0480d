package io.tickwire.sim;

import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;
import io.tickwire.codec.SnapshotDecoder;
import io.tickwire.games.arena.ArenaConfig;
import io.tickwire.games.arena.ArenaGame;
import io.tickwire.games.arena.ArenaProvider;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shard driven by hand running the real arena (through the {@link GameType} its provider makes) with interest
 * management on or off, random view radii and caps, and clients whose acks are lost, delayed, from the future or
 * stale and whose links stall at random: every snapshot decodes against the client's own history, its checksum
 * matches (the decoder's view is the server's view of that client), and the view is exactly the one the interest
 * rules give, computed by brute force from the state the game captured: enter radius, leave radius for what was in
 * the previous view (hysteresis), nearest first up to the cap.
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
        run(seed, viewRadius, hysteresis, cap, windowTicks);
    }

    /**
     * A crowded view with a cap well under what is in range and a wide hysteresis band: the checks above must have
     * met entities kept only by hysteresis, entities in range left out by the cap, and entities in the band left
     * out because they were not in view before; otherwise they prove nothing.
     */
    @Example
    void theRulesAreExercisedNotJustObeyed()
    {
        final Coverage coverage = run(7, 90, 30, 12, 6);
        assertTrue(coverage.checkedViews > 100, "views checked: " + coverage.checkedViews);
        assertTrue(coverage.keptByHysteresis > 0, "entities kept in view by hysteresis only");
        assertTrue(coverage.refusedInBand > 0, "entities in the hysteresis band not let in");
        assertTrue(coverage.cutByCap > 0, "entities in range cut by the cap");
    }

    private static Coverage run(
        final long seed, final int viewRadius, final int hysteresis, final int cap, final int windowTicks)
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
        final Coverage coverage = new Coverage();
        final List<Set<Integer>> previousViews = new ArrayList<>();
        for (int tick = 0; tick < 120; tick++)
        {
            previousViews.clear();
            for (final TestClient client : clients)
            {
                client.read();
                previousViews.add(client.decoder == null ? Set.of() : ids(client.decoder));
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

            for (int c = 0; c < clients.size(); c++)
            {
                final TestClient client = clients.get(c);
                client.read();
                if (client.decoder.ackSeq() != 0 && client.decoder.tick() == tick + 2)
                {
                    final Set<Integer> expected = expectedView(
                        client.welcome.entityId(), previousViews.get(c), truth, viewRadius, hysteresis, cap, coverage);
                    assertEquals(expected, ids(client.decoder), "tick " + tick + " client " + c);
                    coverage.checkedViews++;
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
        assertTrue(deltas > 0, "deltas were sent");
        assertTrue(driver.counters.acksIgnored.get() > 0, "some acks were from the future or stale");
        return coverage;
    }

    /**
     * The interest rules, by brute force over the room: the own avatar, everything within the view radius, and
     * what was in the previous view and is still within the view radius plus the hysteresis; over the cap, the
     * nearest (ties by row), the own avatar first.
     */
    private static Set<Integer> expectedView(
        final int ownId,
        final Set<Integer> previousView,
        final EntityTable truth,
        final int viewRadius,
        final int hysteresis,
        final int cap,
        final Coverage coverage)
    {
        final Set<Integer> all = new TreeSet<>();
        int ownRow = -1;
        for (int row = 0; row < truth.count(); row++)
        {
            all.add(truth.id(row));
            ownRow = truth.id(row) == ownId ? row : ownRow;
        }
        assertTrue(ownRow >= 0, "own avatar in the room");
        if (viewRadius == 0)
        {
            return all;
        }

        final long enter = (long)viewRadius * STEPS_PER_UNIT;
        final long leave = (long)(viewRadius + hysteresis) * STEPS_PER_UNIT;
        final List<long[]> candidates = new ArrayList<>();
        for (int row = 0; row < truth.count(); row++)
        {
            final long dx = truth.value(row, ArenaGame.FIELD_X) - (long)truth.value(ownRow, ArenaGame.FIELD_X);
            final long dy = truth.value(row, ArenaGame.FIELD_Y) - (long)truth.value(ownRow, ArenaGame.FIELD_Y);
            final long distanceSquared = dx * dx + dy * dy;
            final boolean inBand = distanceSquared > enter * enter && distanceSquared <= leave * leave;
            if (row == ownRow)
            {
                candidates.add(new long[] {-1, row});
            }
            else if (distanceSquared <= enter * enter || inBand && previousView.contains(truth.id(row)))
            {
                coverage.keptByHysteresis += inBand ? 1 : 0;
                candidates.add(new long[] {distanceSquared, row});
            }
            else if (inBand)
            {
                coverage.refusedInBand++;
            }
        }
        candidates.sort(Comparator.<long[]>comparingLong(candidate -> candidate[0])
            .thenComparingLong(candidate -> candidate[1]));
        coverage.cutByCap += Math.max(0, candidates.size() - cap);

        final Set<Integer> expected = new TreeSet<>();
        for (int i = 0; i < Math.min(cap, candidates.size()); i++)
        {
            expected.add(truth.id((int)candidates.get(i)[1]));
        }
        return expected;
    }

    private static Set<Integer> ids(final SnapshotDecoder view)
    {
        final Set<Integer> ids = new TreeSet<>();
        for (int i = 0; i < view.entityCount(); i++)
        {
            ids.add(view.entityId(i));
        }
        return ids;
    }

    /**
     * How often each rule decided something, so a test can show its checks were not vacuous.
     */
    private static final class Coverage
    {
        long checkedViews;
        long keptByHysteresis;
        long refusedInBand;
        long cutByCap;
    }
}
