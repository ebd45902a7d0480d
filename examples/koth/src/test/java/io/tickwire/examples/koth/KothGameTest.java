package io.tickwire.examples.koth;

import io.tickwire.api.GameProvider;
import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.testing.FakeEntityWriter;
import io.tickwire.api.testing.FakePlayer;
import io.tickwire.api.testing.FakeRoom;
import io.tickwire.api.testing.SentMessage;
import io.tickwire.testsupport.PlatformMathScan;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KothGameTest
{
    private static final int CENTRE = 400 * 16 / 2;
    private static final int RADIUS = 40 * 16;

    private static GameType type()
    {
        return new KothProvider().create(new GameSettings(30, 42, Map.of()));
    }

    /**
     * Steers the players towards the centre, a tick at a time, until the last capture shows every one of them on the
     * hill; each is stopped by an input queued for the next tick as soon as a capture shows it there.
     */
    private static void walkToHill(final FakeRoom room, final FakePlayer... players)
    {
        for (int i = 0; i < 200; i++)
        {
            final FakeEntityWriter state = room.lastCapture();
            boolean allThere = true;
            for (final FakePlayer player : players)
            {
                final int dx = CENTRE - state.get(player.id(), KothProvider.X);
                final int dy = CENTRE - state.get(player.id(), KothProvider.Y);
                final boolean there = (long)dx * dx + (long)dy * dy <= (long)RADIUS * RADIUS;
                room.input(player, 0, there ? 0 : clamp(dx / 2), there ? 0 : clamp(dy / 2));
                allThere &= there;
            }
            if (allThere)
            {
                return;
            }
            room.runTick();
        }
        throw new AssertionError("never reached the hill");
    }

    private static int clamp(final int value)
    {
        return Math.max(-127, Math.min(127, value));
    }

    @Test
    void providerIsRegisteredAndDeclaresTheType()
    {
        final List<String> names = new ArrayList<>();
        for (final GameProvider provider : ServiceLoader.load(GameProvider.class))
        {
            names.add(provider.name());
        }
        assertTrue(names.contains("koth"), names.toString());

        final GameType type = type();
        assertEquals("koth", type.name());
        assertEquals(2, type.inputSchema().fieldCount());
        assertEquals(5, type.entitySchema().fieldCount());
        assertEquals(64, type.entitySchema().max(KothProvider.VX), "120 units/s at 30 Hz, 1/16 unit steps");
        assertEquals("5", type.joinOption(KothProvider.SCORE_LIMIT).defaultValue());
        assertEquals(4, type.messageTypes().size());
    }

    @Test
    void unknownServerOptionStopsTheServer()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new KothProvider().create(new GameSettings(30, 1, Map.of("npcs", "3"))));
        final GameType small = new KothProvider().create(new GameSettings(30, 1, Map.of("worldSize", "100")));
        assertEquals(1600, small.entitySchema().max(KothProvider.X));
    }

    @Test
    void joinGivesAnAvatarOffTheHillAndAZeroScore()
    {
        final FakeRoom room = new FakeRoom(type());
        final FakePlayer ann = room.join("ann");
        assertEquals(ann.id(), ann.entityId());
        assertEquals(Map.of("score", "0"), ann.metadataMap());
        assertTrue(room.presenceEvents().contains("update " + ann.id() + " score=0"), room.presenceEvents().toString());

        final FakeEntityWriter state = room.runTick();
        assertEquals(2, state.count());
        assertEquals(KothProvider.KIND_HILL, state.get(0, KothProvider.KIND));
        assertEquals(CENTRE, state.get(0, KothProvider.X));
        assertEquals(KothProvider.KIND_PLAYER, state.get(ann.id(), KothProvider.KIND));
        final long dx = state.get(ann.id(), KothProvider.X) - CENTRE;
        final long dy = state.get(ann.id(), KothProvider.Y) - CENTRE;
        assertTrue(dx * dx + dy * dy > (long)RADIUS * RADIUS);
    }

    @Test
    void inputSetsAnIntentKeptUntilTheNextInput()
    {
        final FakeRoom room = new FakeRoom(type());
        final FakePlayer ann = room.join("ann");
        final FakeEntityWriter start = room.runTick();
        assertArrayEquals(new int[] {0, 0, 0, 0}, room.runTick().motion(start, ann.id()), "still before any input");

        room.input(ann, 0, 60, -20);
        FakeEntityWriter before = room.lastCapture();
        FakeEntityWriter after = room.runTick();
        assertArrayEquals(new int[] {30, -10, 30, -10}, after.motion(before, ann.id()));
        before = after;
        after = room.runTick();
        assertArrayEquals(new int[] {30, -10, 30, -10}, after.motion(before, ann.id()), "kept without input");

        room.input(ann, 0, -127, 127);
        before = after;
        after = room.runTick();
        assertArrayEquals(new int[] {-45, 45, -45, 45}, after.motion(before, ann.id()), "diagonals are normalised");
    }

    @Test
    void movementStopsAtTheWall()
    {
        final FakeRoom room = new FakeRoom(type());
        final FakePlayer ann = room.join("ann");
        room.input(ann, 0, 127, 0);
        final FakeEntityWriter state = room.runTicks(200);
        assertEquals(400 * 16, state.get(ann.id(), KothProvider.X));
        assertEquals(0, state.get(ann.id(), KothProvider.VX));
    }

    @Test
    void aPlayerAloneOnTheHillScoresOncePerSecond()
    {
        final FakeRoom room = new FakeRoom(type());
        final FakePlayer ann = room.join("ann");
        final FakePlayer bob = room.join("bob");
        room.runTick();
        walkToHill(room, ann);
        assertTrue(room.sent("scored").isEmpty(), "the tick the last capture shows is ann's first on the hill");

        room.runTicks(28);
        assertTrue(room.sent("scored").isEmpty(), "29 ticks on the hill are not yet a second");
        room.runTick();
        final List<SentMessage> scored = room.sent("scored");
        assertEquals(1, scored.size(), scored.toString());
        assertEquals(ann.id(), scored.get(0).intValue("player"));
        assertEquals(1, scored.get(0).intValue("score"));
        assertEquals(room.tick(), scored.get(0).tick());
        assertEquals(List.of(ann.id(), bob.id()), scored.get(0).recipients());
        assertEquals("1", ann.metadata("score"));
        assertEquals("0", bob.metadata("score"));
        assertTrue(room.presenceEvents().contains("update " + ann.id() + " score=1"));

        room.runTicks(29);
        assertEquals(1, room.sent("scored").size());
        room.runTick();
        assertEquals(2, room.sent("scored").size());
        assertEquals("2", ann.metadata("score"));
    }

    @Test
    void aContestedHillScoresNothing()
    {
        final FakeRoom room = new FakeRoom(type());
        final FakePlayer ann = room.join("ann");
        final FakePlayer bob = room.join("bob");
        room.runTick();
        walkToHill(room, ann, bob);
        room.clearSent();
        room.runTicks(90);
        assertTrue(room.sent("scored").isEmpty());

        room.leave(bob, LeaveReason.LEFT);
        room.runTicks(29);
        assertTrue(room.sent("scored").isEmpty());
        room.runTick();
        assertEquals(1, room.sent("scored").size(), "alone a second after the rival left");
        assertEquals(ann.id(), room.sent("scored").get(0).intValue("player"));
        assertFalse(room.lastCapture().contains(bob.id()));
    }

    @Test
    void reachingTheScoreLimitWinsTheRoundAndResetsScores()
    {
        final FakeRoom room = new FakeRoom(type(), Map.of(KothProvider.SCORE_LIMIT, "2"));
        final FakePlayer ann = room.join("ann");
        final FakePlayer bob = room.join("bob");
        room.runTick();
        walkToHill(room, ann);
        room.runTicks(58);
        assertEquals(1, room.sent("scored").size());
        assertTrue(room.sent("won").isEmpty());

        room.runTick();
        final List<SentMessage> won = room.sent("won");
        assertEquals(1, won.size());
        assertEquals(ann.id(), won.get(0).intValue("player"));
        assertEquals(1, won.get(0).intValue("round"));
        assertEquals(List.of(ann.id(), bob.id()), won.get(0).recipients());
        assertEquals(2, room.sent("scored").size(), "the winning point is scored too");
        assertEquals("0", ann.metadata("score"));
        assertEquals("2", room.metadata("round"));

        final FakeEntityWriter state = room.runTicks(60);
        assertEquals(2, room.sent("scored").size(), "respawned off the hill and standing still: no more points");
        final long dx = state.get(ann.id(), KothProvider.X) - CENTRE;
        final long dy = state.get(ann.id(), KothProvider.Y) - CENTRE;
        assertTrue(dx * dx + dy * dy > (long)RADIUS * RADIUS);
    }

    @Test
    void theCreatorsScoreLimitIsTheRoomsAndOtherLimitsAreRefused()
    {
        assertEquals("5", new FakeRoom(type()).metadata(KothProvider.SCORE_LIMIT));

        final FakeRoom room = new FakeRoom(type(), Map.of(KothProvider.SCORE_LIMIT, "3"));
        assertEquals("3", room.metadata(KothProvider.SCORE_LIMIT));
        assertNull(room.join("ann", Map.of(KothProvider.SCORE_LIMIT, "4")));
        assertEquals("this room plays to 3 points", room.lastRefusal());
        assertNotNull(room.join("bob", Map.of(KothProvider.SCORE_LIMIT, "3")));
        assertNotNull(room.join("cat"));
        assertThrows(IllegalArgumentException.class, () -> room.join("dan", Map.of(KothProvider.SCORE_LIMIT, "0")));
    }

    @Test
    void tauntsAreRelayedWithTheSender()
    {
        final FakeRoom room = new FakeRoom(type());
        final FakePlayer ann = room.join("ann");
        final FakePlayer bob = room.join("bob");
        room.send(ann, KothProvider.TAUNT, "mine!");
        room.send(bob, KothProvider.TAUNT, "   ");
        final List<SentMessage> taunts = room.sent("taunted");
        assertEquals(1, taunts.size());
        assertEquals(ann.id(), taunts.get(0).intValue("player"));
        assertEquals("mine!", taunts.get(0).text("text"));
        assertEquals(List.of(ann.id(), bob.id()), taunts.get(0).recipients());
        assertThrows(IllegalArgumentException.class, () -> room.send(ann, KothProvider.SCORED, 1, 1),
            "clients may not send scored");
    }

    @Test
    void callsStrictMathNotPlatformMathSoReplaysMatchOnEveryMachine() throws Exception
    {
        assertEquals(List.of(), PlatformMathScan.violations(KothGame.class));
    }

    @Test
    void theSameInputsReplayToTheSameWorld()
    {
        final int[] first = replay();
        assertArrayEquals(first, replay());
    }

    private static int[] replay()
    {
        final FakeRoom room = new FakeRoom(type(), Map.of(KothProvider.SCORE_LIMIT, "1"));
        final FakePlayer ann = room.join("ann");
        final FakePlayer bob = room.join("bob");
        room.runTick();
        walkToHill(room, ann);
        room.input(bob, 0, 100, -50);
        room.runTicks(40);
        room.leave(ann, LeaveReason.DISCONNECTED);
        return room.runTicks(5).toArray();
    }
}
