package io.tickwire.games.tag;

import io.tickwire.api.GameProvider;
import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.testing.FakeEntityWriter;
import io.tickwire.api.testing.FakePlayer;
import io.tickwire.api.testing.FakeRoom;
import io.tickwire.api.testing.SentMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static io.tickwire.games.tag.TagGame.FIELD_FLAGS;
import static io.tickwire.games.tag.TagGame.FIELD_TEAM;
import static io.tickwire.games.tag.TagGame.FIELD_VX;
import static io.tickwire.games.tag.TagGame.FIELD_X;
import static io.tickwire.games.tag.TagGame.FIELD_Y;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TagGameTest
{
    static final int TICK_RATE_HZ = 30;
    private static final int FIRE = 1;

    /** Two players: the shooter (red) at (0, 0), the target (blue) on the bottom wall at x = targetX. */
    private record Duel(FakeRoom room, FakePlayer shooter, FakePlayer target, int targetX)
    {
        void fire(final long viewTick, final int aim)
        {
            room.input(shooter, viewTick, 0, 0, aim, FIRE);
            room.runTick();
        }

        int tags()
        {
            return room.sent("tagged").size();
        }
    }

    @Test
    void isFoundByServiceLoaderWithItsSchemasMessagesAndLimits()
    {
        GameType type = null;
        for (final GameProvider provider : ServiceLoader.load(GameProvider.class))
        {
            type = provider.name().equals("tag") ? provider.create(settings(Map.of())) : type;
        }
        assertNotNull(type);
        assertEquals(List.of("x", "y", "vx", "vy", "aim", "team", "flags"), names(type.entitySchema().fields()));
        assertEquals(List.of("moveX", "moveY", "aim", "buttons"), names(type.inputSchema().fields()));
        assertEquals(9600, type.entitySchema().max(FIELD_X));
        assertEquals(80, type.entitySchema().max(FIELD_VX));
        assertEquals(List.of("tagged", "chat", "round"),
            type.messageTypes().stream().map(m -> m.name()).toList());
        assertEquals(64, type.maxClients());
        assertEquals(64, type.maxEntities());
        assertThrows(IllegalArgumentException.class, () -> tag(Map.of("npcs", "3")));
        assertThrows(IllegalArgumentException.class, () -> tag(Map.of("worldSize", "50")));
    }

    @Test
    void roomMetadataShowsModeRoundScoresAndLimit()
    {
        final FakeRoom room = new FakeRoom(tag(Map.of()), Map.of("scoreLimit", "25"));
        assertEquals(Map.of("mode", "team-tag", "scoreLimit", "25", "round", "1", "phase", "playing", "red", "0",
            "blue", "0", "worldSize", "600", "speedSteps", "80"), room.metadataMap());
    }

    @Test
    void inputMapsToMotionByTheDocumentedRule()
    {
        final FakeRoom room = new FakeRoom(tag(Map.of()));
        final FakePlayer player = room.join("p");
        final int entity = player.entityId();
        FakeEntityWriter before = room.runTick();

        room.input(player, 0, 127, 127, 0, 0);
        FakeEntityWriter after = room.runTick();
        // m = ceilSqrt(32258) = 180; 127 * 80 / 180 = 56
        assertArrayEquals(new int[] {56, 56, 56, 56}, after.motion(before, entity));

        room.input(player, 0, 60, 20, 300, 0);
        before = after;
        after = room.runTick();
        // m = 127; 60 * 80 / 127 = 37; 20 * 80 / 127 = 12
        assertArrayEquals(new int[] {37, 12, 37, 12}, after.motion(before, entity));
        assertEquals(300, after.get(entity, TagGame.FIELD_AIM));

        room.input(player, 0, -1, -127, 300, 0);
        before = after;
        after = room.runTick();
        // m = ceilSqrt(16130) = 128: -1 * 80 / 128 truncates to 0, -127 * 80 / 128 = -79.4 to -79
        assertArrayEquals(new int[] {0, -79, 0, -79}, after.motion(before, entity));
    }

    @Test
    void fireHasACooldown()
    {
        final Duel duel = duel(Map.of());
        final int shotsBefore = duel.room().rewindRequests().size();
        for (int i = 0; i < 30; i++)
        {
            duel.fire(duel.room().tick(), 512);
        }
        // cooldown 0.4 s = 12 ticks: shots at the 1st, 13th and 25th tick
        assertEquals(3, duel.room().rewindRequests().size() - shotsBefore);
    }

    @Test
    void aShotHitsWhereTheShooterSawTheTarget()
    {
        final Duel duel = duel(Map.of());
        final long seen = moveTargetAway(duel);
        duel.fire(seen, 0);
        assertEquals(1, duel.tags());
        final SentMessage tagged = duel.room().sent("tagged").get(0);
        assertEquals(duel.shooter().id(), tagged.intValue("shooter"));
        assertEquals(duel.target().id(), tagged.intValue("target"));
        assertEquals(2, tagged.recipients().size());
        assertEquals(seen, duel.room().rewindRequests().get(duel.room().rewindRequests().size() - 1));
    }

    @Test
    void aShotAtTheOldPositionMissesWhenTheShooterSawTheNewOne()
    {
        final Duel duel = duel(Map.of());
        moveTargetAway(duel);
        duel.fire(duel.room().tick(), 0);
        assertEquals(0, duel.tags());
    }

    @Test
    void aShotAtTheNewPositionMissesWhenTheShooterSawTheOldOne()
    {
        final Duel duel = duel(Map.of());
        final long seen = moveTargetAway(duel);
        final FakeEntityWriter now = duel.room().lastCapture();
        final int entity = duel.target().entityId();
        duel.fire(seen, aimAt(now.get(entity, FIELD_X), now.get(entity, FIELD_Y)));
        assertEquals(0, duel.tags());
    }

    @Test
    void anEmptyRoomLivesForTheKeepAliveOption()
    {
        final GameSettings defaults = new GameSettings(30, 1, Map.of());
        assertEquals(Duration.ofSeconds(30), new TagProvider().create(defaults).emptyRoomKeepAlive());
        final GameSettings oneSecond = new GameSettings(30, 1, Map.of("keepAliveSeconds", "1"));
        assertEquals(Duration.ofSeconds(1), new TagProvider().create(oneSecond).emptyRoomKeepAlive());
        assertThrows(IllegalArgumentException.class,
            () -> new TagProvider().create(new GameSettings(30, 1, Map.of("keepAliveSeconds", "3601"))));
    }

    @Test
    void aShotMissesBeyondItsRangeAndHitsWithinIt()
    {
        final Duel duel = duel(Map.of("worldSize", "4000", "playerSpeed", "1000"));
        assertTrue(duel.targetX() > TagConfig.SHOT_RANGE * 16);
        duel.fire(duel.room().tick(), 0);
        assertEquals(0, duel.tags());

        final int speed = 533;
        final int ticks = (duel.targetX() - 240 * 16) / speed + 1;
        duel.room().input(duel.shooter(), 0, 127, 0, 0, 0);
        duel.room().runTicks(ticks);
        duel.room().input(duel.shooter(), 0, 0, 0, 0, 0);
        final FakeEntityWriter capture = duel.room().runTick();
        final int gap = duel.targetX() - capture.get(duel.shooter().entityId(), FIELD_X);
        assertTrue(gap > 0 && gap <= TagConfig.SHOT_RANGE * 16, "gap " + gap);
        duel.fire(duel.room().tick(), 0);
        assertEquals(1, duel.tags());
    }

    @Test
    void teamsBalanceOnJoinAndAnUnbalancingRequestIsRefusedWithAReason()
    {
        final FakeRoom room = new FakeRoom(tag(Map.of()));
        assertEquals("red", room.join("a").metadata("team"));
        assertEquals("blue", room.join("b").metadata("team"));
        assertEquals("red", room.join("c").metadata("team"));

        assertNull(room.join("d", Map.of("team", "red")));
        assertEquals("team red is full (2 red, 1 blue): join blue or either", room.lastRefusal());
        assertNull(room.join("e", Map.of("team", "green")));
        assertTrue(room.lastRefusal().contains("red or blue"));

        final FakePlayer f = room.join("f", Map.of("team", "blue"));
        assertEquals("blue", f.metadata("team"));
        assertNull(room.lastRefusal());
        assertEquals(TagGame.BLUE, room.runTick().get(f.entityId(), FIELD_TEAM));
        room.leave(f, LeaveReason.LEFT);
        assertEquals("blue", room.join("g").metadata("team"));
    }

    @Test
    void scoringToTheLimitEndsTheRoundAndTheNextStartsAfterTheIntermission()
    {
        final Duel duel = duel(Map.of(), Map.of("scoreLimit", "1"));
        final FakeRoom room = duel.room();
        duel.fire(room.tick(), 0);
        assertEquals(1, duel.tags());
        final long overTick = room.tick();
        assertRound(room.sent("round").get(0), TagGame.ROUND_OVER, 1, TagGame.RED, 1, 0);
        assertEquals("intermission", room.metadata("phase"));
        assertEquals("1", room.metadata("red"));
        assertEquals("1", duel.shooter().metadata("score"));

        final int shots = room.rewindRequests().size();
        room.runTicks(20);
        duel.fire(room.tick(), 0);
        assertEquals(shots, room.rewindRequests().size(), "no shots in the intermission");

        room.runTicks((int)(overTick + 90 - 1 - room.tick()));
        assertEquals(1, room.sent("round").size());
        final FakeEntityWriter restart = room.runTick();
        assertEquals(2, room.sent("round").size());
        assertRound(room.sent("round").get(1), TagGame.ROUND_START, 2, TagGame.NO_TEAM, 0, 0);
        assertEquals(Map.of("mode", "team-tag", "scoreLimit", "1", "round", "2", "phase", "playing", "red", "0",
            "blue", "0", "worldSize", "200", "speedSteps", "80"), room.metadataMap());
        assertEquals("0", duel.shooter().metadata("score"));
        for (int row = 0; row < restart.count(); row++)
        {
            assertEquals(TagGame.FLAG_INVULNERABLE, restart.value(row, FIELD_FLAGS));
        }
    }

    @Test
    void aTaggedPlayerRespawnsInvulnerable()
    {
        final Duel duel = duel(Map.of());
        final FakeRoom room = duel.room();
        final int target = duel.target().entityId();
        assertEquals(0, room.lastCapture().get(target, FIELD_FLAGS));
        duel.fire(room.tick(), 0);
        assertEquals(1, duel.tags());
        final long respawned = room.tick();
        final FakeEntityWriter afterTag = room.lastCapture();
        assertEquals(TagGame.FLAG_INVULNERABLE, afterTag.get(target, FIELD_FLAGS));
        assertTrue(afterTag.get(target, FIELD_X) >= 150 * 16, "respawned in blue's quarter");

        room.input(duel.target(), 0, 0, -127, 0, 0);
        room.runTicks(40);
        assertEquals(0, room.lastCapture().get(target, FIELD_Y));
        duel.fire(room.tick(), aimAt(room.lastCapture().get(target, FIELD_X), 0));
        assertEquals(1, duel.tags(), "invulnerable: not tagged");
        assertEquals(TagGame.FLAG_INVULNERABLE, room.lastCapture().get(target, FIELD_FLAGS));

        room.runTicks((int)(respawned + 60 - room.tick()));
        assertEquals(0, room.lastCapture().get(target, FIELD_FLAGS));
        duel.fire(room.tick(), aimAt(room.lastCapture().get(target, FIELD_X), 0));
        assertEquals(2, duel.tags());
    }

    @Test
    void chatIsBroadcastWithTheSendersId()
    {
        final FakeRoom room = new FakeRoom(tag(Map.of()));
        final FakePlayer ann = room.join("ann");
        room.join("bob");
        room.send(ann, TagProvider.CHAT, 0, "gg");
        room.send(ann, TagProvider.CHAT, 0, "   ");
        final List<SentMessage> chat = room.sent("chat");
        assertEquals(1, chat.size());
        assertEquals(ann.id(), chat.get(0).intValue("player"));
        assertEquals("gg", chat.get(0).text("text"));
        assertEquals(2, chat.get(0).recipients().size());
        assertThrows(IllegalArgumentException.class, () -> room.send(ann, TagProvider.CHAT, 0, "x".repeat(97)));
    }

    @Test
    void presenceCarriesTeamAndScore()
    {
        final Duel duel = duel(Map.of());
        final int id = duel.shooter().id();
        assertTrue(duel.room().presenceEvents().containsAll(List.of(
            "entity " + id + " 1", "update " + id + " team=red", "update " + id + " score=0")));
        duel.fire(duel.room().tick(), 0);
        assertEquals(Map.of("team", "red", "score", "1"), duel.shooter().metadataMap());
        assertTrue(duel.room().presenceEvents().contains("update " + id + " score=1"));
    }

    @Test
    void idlePlayersAreKicked()
    {
        final FakeRoom room = new FakeRoom(tag(Map.of()));
        final FakePlayer idle = room.join("idle");
        room.runTicks(120 * TICK_RATE_HZ);
        assertEquals(List.of(new FakeRoom.Kick(idle.id(), "idle")), room.kicks());
        room.runTick();
        assertTrue(idle.isGone());
        assertEquals(0, room.runTick().count());
    }

    @Test
    void ceilSqrtIsExact()
    {
        for (int n = 0; n <= 2 * 127 * 127; n++)
        {
            final int root = TagGame.ceilSqrt(n);
            assertTrue(root * root >= n && (root - 1) * (root - 1) < n || n == 0 && root == 0, "n " + n);
        }
    }

    static GameType tag(final Map<String, String> options)
    {
        return new TagProvider().create(settings(options));
    }

    /**
     * @return the aim (0..1023) nearest the direction from the origin to (x, y).
     */
    static int aimAt(final int x, final int y)
    {
        return Math.floorMod((int)Math.round(Math.atan2(y, x) * TagGame.AIM_DIRECTIONS / (2 * Math.PI)),
            TagGame.AIM_DIRECTIONS);
    }

    private static Duel duel(final Map<String, String> options)
    {
        return duel(options, Map.of());
    }

    /**
     * Joins a red shooter and a blue target, drives them to (0, 0) and (targetX, 0), past spawn invulnerability.
     */
    private static Duel duel(final Map<String, String> options, final Map<String, String> creatorOptions)
    {
        final Map<String, String> world = options.isEmpty() ? Map.of("worldSize", "200") : options;
        final FakeRoom room = new FakeRoom(tag(world), creatorOptions);
        final FakePlayer shooter = room.join("shooter");
        final FakePlayer target = room.join("target");
        room.input(shooter, 0, -127, -127, 0, 0);
        room.input(target, 0, 0, -127, 0, 0);
        final FakeEntityWriter capture = room.runTicks(240);
        assertEquals(0, capture.get(shooter.entityId(), FIELD_X) + capture.get(shooter.entityId(), FIELD_Y));
        assertEquals(0, capture.get(target.entityId(), FIELD_Y));
        assertEquals(0, capture.get(target.entityId(), FIELD_FLAGS));
        return new Duel(room, shooter, target, capture.get(target.entityId(), FIELD_X));
    }

    /**
     * @return the tick the shooter saw the target at (targetX, 0); the target has since moved 50 units up.
     */
    private static long moveTargetAway(final Duel duel)
    {
        final long seen = duel.room().tick();
        duel.room().input(duel.target(), 0, 0, 127, 0, 0);
        duel.room().runTicks(10);
        assertEquals(800, duel.room().lastCapture().get(duel.target().entityId(), FIELD_Y));
        return seen;
    }

    private static void assertRound(
        final SentMessage round, final int event, final int number, final int winner, final int red, final int blue)
    {
        assertEquals(List.of(event, number, winner, red, blue), round.values());
    }


    private static GameSettings settings(final Map<String, String> options)
    {
        return new GameSettings(TICK_RATE_HZ, 1, options);
    }

    private static List<String> names(final List<FieldDef> fields)
    {
        return fields.stream().map(FieldDef::name).toList();
    }
}
