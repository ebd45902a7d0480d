package io.tickwire.games.arena;

import io.tickwire.api.GameProvider;
import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Player;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.testing.FakeEntityWriter;
import io.tickwire.api.testing.FakePlayer;
import io.tickwire.api.testing.FakeRoom;
import io.tickwire.api.testing.SentMessage;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.zip.CRC32;

import static io.tickwire.games.arena.ArenaGame.FIELD_KIND;
import static io.tickwire.games.arena.ArenaGame.FIELD_VX;
import static io.tickwire.games.arena.ArenaGame.FIELD_VY;
import static io.tickwire.games.arena.ArenaGame.FIELD_X;
import static io.tickwire.games.arena.ArenaGame.FIELD_Y;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArenaGameTest
{
    private static final int TICK_RATE_HZ = 30;
    private static final long SEED = 7;

    @Test
    void isFoundByServiceLoaderWithTheReferenceSchemaAndLimits()
    {
        GameType type = null;
        for (final GameProvider provider : ServiceLoader.load(GameProvider.class))
        {
            if (provider.name().equals("arena"))
            {
                type = provider.create(new GameSettings(TICK_RATE_HZ, 1, Map.of()));
            }
        }
        assertTrue(type != null, "arena provider registered");
        assertEquals(new EntitySchema(List.of(
            FieldDef.fixed("x", 0, 16000, 16, 2, FieldRole.POSITION_X),
            FieldDef.fixed("y", 0, 16000, 16, 3, FieldRole.POSITION_Y),
            FieldDef.fixed("vx", -64, 64, 16, FieldDef.NO_PREDICTOR, FieldRole.NONE),
            FieldDef.fixed("vy", -64, 64, 16, FieldDef.NO_PREDICTOR, FieldRole.NONE),
            FieldDef.uint("hp", 255),
            FieldDef.enumeration("kind", 2))), type.entitySchema());
        assertEquals(List.of("moveX", "moveY", "buttons"),
            type.inputSchema().fields().stream().map(FieldDef::name).toList());
        assertEquals(1000, type.maxClients());
        assertEquals(4096, type.maxEntities());
        assertTrue(type.clientsMayCreateRooms());
        assertTrue(type.emptyRoomKeepAlive().isZero());
        assertEquals(List.of("chat"), type.messageTypes().stream().map(m -> m.name()).toList());
        assertEquals(5, type.messageTypes().get(0).ratePerSecond());
        assertEquals(10, type.messageTypes().get(0).burst());
    }

    @Test
    void roomMetadataGivesWorldSizeAndSpeedSteps()
    {
        assertEquals(Map.of("worldSize", "1000", "speedSteps", "64"), new FakeRoom(arena(Map.of())).metadataMap());
        assertEquals(Map.of("worldSize", "500", "speedSteps", "32"),
            new FakeRoom(arena(Map.of("worldSize", "500", "playerSpeed", "60"))).metadataMap());
    }

    @Test
    void chatIsBroadcastWithTheSendersIdAndBlankLinesDropped()
    {
        final FakeRoom room = new FakeRoom(arena(Map.of("npcs", "0")));
        final FakePlayer ann = room.join("ann");
        room.join("bob");
        room.send(ann, ArenaProvider.CHAT, 0, "@bob hi");
        room.send(ann, ArenaProvider.CHAT, 0, "  ");
        final List<SentMessage> chat = room.sent("chat");
        assertEquals(1, chat.size());
        assertEquals(ann.id(), chat.get(0).intValue("player"));
        assertEquals("@bob hi", chat.get(0).text("text"));
        assertEquals(2, chat.get(0).recipients().size());
    }

    @Test
    void refusesUnknownOptionsBadRangesAndTooManyNpcs()
    {
        assertThrows(IllegalArgumentException.class, () -> arena(Map.of("bots", "3")));
        assertThrows(IllegalArgumentException.class, () -> arena(Map.of("worldSize", "0")));
        assertThrows(IllegalArgumentException.class, () -> arena(Map.of("npcTurnChance", "1.5")));
        assertThrows(IllegalArgumentException.class, () -> arena(Map.of("playerSpeed", "NaN")));
        final IllegalArgumentException tooMany = assertThrows(
            IllegalArgumentException.class, () -> arena(Map.of("npcs", "3097")));
        assertTrue(tooMany.getMessage().contains("maxEntities"), tooMany.getMessage());
        assertEquals(3096, new FakeRoom(arena(Map.of("npcs", "3096"))).runTick().count());
    }

    /**
     * The reference run below, recorded when its results came from {@link StrictMath} only, so it is the same on
     * every JVM and platform: a different value means a replay recorded before no longer reproduces. Change it only
     * with a deliberate change to the game's rules. Running the game twice in one JVM cannot show this, as both runs
     * share that JVM's arithmetic; {@code PlatformMathTest} (sim) keeps the code on {@code StrictMath}.
     */
    private static final long REFERENCE_RUN_CRC = 0x15e5bd3fL;

    @Test
    void aLongSeededRunMatchesTheChecksumRecordedInTheRepository()
    {
        final FakeRoom room = new FakeRoom(arena(Map.of("npcTurnChance", "0.2")), "demo", TICK_RATE_HZ, SEED, 30,
            Map.of());
        final FakePlayer ann = room.join("ann");
        final FakePlayer bob = room.join("bob");
        final CRC32 crc = new CRC32();
        final ByteBuffer bytes = ByteBuffer.allocate(Integer.BYTES);
        for (int tick = 1; tick <= 3000; tick++)
        {
            room.input(ann, tick, tick % 255 - 127, 50, 0);
            room.input(bob, tick, -60, (tick * 7) % 255 - 127, 0);
            for (final int value : room.runTick().toArray())
            {
                crc.update(bytes.clear().putInt(value).array());
            }
        }
        assertEquals(REFERENCE_RUN_CRC, crc.getValue(), "0x" + Long.toHexString(crc.getValue()));
    }

    @Test
    void sameSeedAndInputsGiveTheSameWorld()
    {
        assertArrayEquals(run(SEED), run(SEED));
        assertFalse(java.util.Arrays.equals(run(SEED), run(SEED + 1)));
    }

    @Test
    void spawnsTheConfiguredNpcsWithinTheWorld()
    {
        final FakeEntityWriter capture = new FakeRoom(arena(Map.of())).runTick();
        assertEquals(200, capture.count());
        for (int row = 0; row < capture.count(); row++)
        {
            assertEquals(row + 1, capture.id(row));
            assertEquals(ArenaGame.KIND_NPC, capture.value(row, FIELD_KIND));
        }
    }

    @Test
    void inputMapsToMotionByTheDocumentedRule()
    {
        final FakeRoom room = room(Map.of("npcs", "0", "worldSize", "100000"));
        final FakePlayer player = room.join("p");
        final int entity = player.entityId();
        FakeEntityWriter before = room.runTick();
        assertEquals(0, before.get(entity, FIELD_VX), "no input yet: standing still");

        room.input(player, 0, 127, 127, 0);
        FakeEntityWriter after = room.runTick();
        // diagonal: len = sqrt(2) > 1, so 64 / sqrt(2) = 45.25 -> 45 per axis
        assertArrayEquals(new int[] {45, 45, 45, 45}, after.motion(before, entity));

        room.input(player, 0, 60, -20, 0);
        before = after;
        after = room.runTick();
        // 60/127 * 64 = 30.24 -> 30; -20/127 * 64 = -10.08 -> -10; len < 1, no normalisation
        assertArrayEquals(new int[] {30, -10, 30, -10}, after.motion(before, entity));

        before = after;
        after = room.runTick();
        assertArrayEquals(new int[] {30, -10, 30, -10}, after.motion(before, entity));
    }

    @Test
    void playersStopAtTheWalls()
    {
        final FakeRoom room = room(Map.of("npcs", "0", "worldSize", "10"));
        final FakePlayer player = room.join("p");
        room.input(player, 0, -127, 127, 0);
        final FakeEntityWriter capture = room.runTicks(10);
        assertEquals(0, capture.get(player.entityId(), FIELD_X));
        assertEquals(160, capture.get(player.entityId(), FIELD_Y));
        assertEquals(0, capture.get(player.entityId(), FIELD_VX));
        assertEquals(0, capture.get(player.entityId(), FIELD_VY));
    }

    @Test
    void npcsMoveStraightAndBounceOffTheWalls()
    {
        final FakeRoom room = room(Map.of("npcs", "20", "worldSize", "20", "npcTurnChance", "0"));
        final int max = 20 * 16;
        FakeEntityWriter before = room.runTick();
        int bounces = 0;
        for (int tick = 0; tick < 300; tick++)
        {
            final FakeEntityWriter after = room.runTick();
            for (int row = 0; row < after.count(); row++)
            {
                for (int axis = 0; axis < 2; axis++)
                {
                    final int position = before.value(row, FIELD_X + axis);
                    final int velocity = before.value(row, FIELD_VX + axis);
                    final int next = position + velocity;
                    final boolean reflects = next < 0 || next > max;
                    final int expected = next < 0 ? -next : next > max ? 2 * max - next : next;
                    assertEquals(expected, after.value(row, FIELD_X + axis));
                    assertEquals(reflects ? -velocity : velocity, after.value(row, FIELD_VX + axis));
                    bounces += reflects ? 1 : 0;
                }
                final int vx = after.value(row, FIELD_VX);
                final int vy = after.value(row, FIELD_VY);
                assertEquals(32, Math.sqrt(vx * vx + vy * vy), 1.0, "npc speed");
            }
            before = after;
        }
        assertTrue(bounces > 50, "bounces " + bounces);
    }

    @Test
    void idsAscendThroughJoinsAndLeaves()
    {
        final FakeRoom room = room(Map.of("npcs", "5"));
        final FakePlayer a = room.join("a");
        final FakePlayer b = room.join("b");
        assertEquals(6, a.entityId());
        assertEquals(7, b.entityId());
        room.leave(a, LeaveReason.LEFT);
        final FakePlayer c = room.join("c");
        assertEquals(8, c.entityId());
        final FakeEntityWriter capture = room.runTick();
        assertEquals(7, capture.count());
        assertFalse(capture.contains(6));
        assertTrue(capture.contains(7) && capture.contains(8));
    }

    @Test
    void refusesAJoinBeyondItsCapacity()
    {
        final GameType type = arena(Map.of("npcs", "0"));
        final FakeRoom room = new FakeRoom(type);
        final ArenaGame game = new ArenaGame(room, ArenaConfig.from(new GameSettings(30, 0, Map.of("npcs", "0"))), 1);
        game.onJoin(room.join("a"));
        assertThrows(IllegalStateException.class, () -> game.onJoin(room.join("b")));
    }

    @Test
    void leavingAllocatesNothing()
    {
        final FakeRoom room = room(Map.of("npcs", "100"));
        final List<Player> players = new ArrayList<>();
        for (int i = 0; i < 600; i++)
        {
            players.add(room.join("p" + i));
        }
        final ArenaGame game = (ArenaGame)room.game();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();

        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < players.size(); i += 2)
        {
            game.onLeave(players.get(i), LeaveReason.LEFT);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(400, game.entityCount());
        assertTrue(allocated < 4096, "300 leaves allocated " + allocated + " bytes");
    }


    private static int[] run(final long seed)
    {
        final FakeRoom room = new FakeRoom(arena(Map.of()), "demo", TICK_RATE_HZ, seed, 30, Map.of());
        final FakePlayer player = room.join("p");
        for (int tick = 1; tick <= 300; tick++)
        {
            room.input(player, tick, tick % 255 - 127, 50, 0);
            room.runTick();
        }
        return room.lastCapture().toArray();
    }

    private static FakeRoom room(final Map<String, String> options)
    {
        return new FakeRoom(arena(options), "room", TICK_RATE_HZ, SEED, 30, Map.of());
    }

    private static GameType arena(final Map<String, String> options)
    {
        return new ArenaProvider().create(new GameSettings(TICK_RATE_HZ, 1, options));
    }
}
