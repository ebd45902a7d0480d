package io.tickwire.games.arena;

import io.tickwire.api.ByteStateReader;
import io.tickwire.api.ByteStateWriter;
import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.testing.FakePlayer;
import io.tickwire.api.testing.FakeRoom;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkpoint rule: a room saved at a tick and restored into a fresh room (factory, seats, restore; no onCreate,
 * no onJoin) runs on exactly as the original, given the same inputs, joins, leaves and messages: equal captures
 * every tick, equal messages.
 */
class ArenaCheckpointTest
{
    private static final int TICK_RATE_HZ = 30;
    private static final long SEED = 11;
    private static final String NAME = "saved";
    private static final int WINDOW = 31;
    private static final int SAVE_TICK = 150;
    private static final int LAST_TICK = 300;

    @Test
    void aRestoredRoomRunsOnExactlyAsTheOriginal()
    {
        final GameType type = arena();
        assertEquals(1, type.checkpointVersion());
        final FakeRoom original = new FakeRoom(type, NAME, TICK_RATE_HZ, SEED, WINDOW, Map.of());
        final FakePlayer[] originalPlayers = new FakePlayer[4];
        for (int tick = 1; tick <= SAVE_TICK; tick++)
        {
            drive(original, originalPlayers, tick);
        }

        final ByteStateWriter out = new ByteStateWriter();
        original.game().save(out);
        final long randomState = original.random().state();
        final FakeRoom restored = FakeRoom.forRestore(type, NAME, TICK_RATE_HZ, SEED, WINDOW);
        final FakePlayer[] restoredPlayers = new FakePlayer[originalPlayers.length];
        for (int i = 0; i < originalPlayers.length; i++)
        {
            final FakePlayer player = originalPlayers[i];
            if (player != null && !player.isGone())
            {
                restoredPlayers[i] = restored.seat(player.id(), player.name(), null, Map.of(), player.entityId(),
                    player.metadataMap());
            }
        }
        final ByteStateReader in = new ByteStateReader(out.toByteArray());
        assertArrayEquals(original.lastCapture().toArray(),
            restored.restore(in, type.checkpointVersion(), original.tick(), randomState).toArray());
        original.clearSent();

        for (int tick = SAVE_TICK + 1; tick <= LAST_TICK; tick++)
        {
            final int[] expected = drive(original, originalPlayers, tick);
            assertArrayEquals(expected, drive(restored, restoredPlayers, tick), "capture of tick " + tick);
        }
        assertFalse(original.sent().isEmpty());
        assertEquals(original.sent(), restored.sent());
        assertEquals(original.players().size(), restored.players().size());
        assertEquals(((ArenaGame)original.game()).entityCount(), ((ArenaGame)restored.game()).entityCount());
    }

    @Test
    void restoreRefusesAnotherVersionAndAShortState()
    {
        final GameType type = arena();
        final FakeRoom original = new FakeRoom(type, NAME, TICK_RATE_HZ, SEED, WINDOW, Map.of());
        original.runTicks(3);
        final ByteStateWriter out = new ByteStateWriter();
        original.game().save(out);
        final byte[] bytes = out.toByteArray();

        assertThrows(IllegalStateException.class, () -> FakeRoom.forRestore(type, NAME, TICK_RATE_HZ, SEED, WINDOW)
            .restore(new ByteStateReader(bytes), 2, 3, 0));
        assertThrows(IllegalStateException.class, () -> FakeRoom.forRestore(type, NAME, TICK_RATE_HZ, SEED, WINDOW)
            .restore(new ByteStateReader(Arrays.copyOf(bytes, bytes.length - 1)), 1, 3, 0));
        final byte[] tooMany = bytes.clone();
        tooMany[3] = 0x7F;
        final IllegalStateException capacity = assertThrows(IllegalStateException.class,
            () -> FakeRoom.forRestore(type, NAME, TICK_RATE_HZ, SEED, WINDOW).restore(new ByteStateReader(tooMany),
                1, 3, 0));
        assertTrue(capacity.getMessage().contains("capacity"), capacity.getMessage());
    }

    /**
     * One tick of the script, the same for both rooms: ann and bob from the start, carol joins at 60, bob leaves at
     * 120, dave joins at 200 (after the save), ann leaves at 250; everyone present moves differently each tick
     * (carol sends an input only every fourth tick: its intent holds in between), and chats now and then.
     *
     * @return the tick's capture.
     */
    private static int[] drive(final FakeRoom room, final FakePlayer[] players, final int tick)
    {
        if (tick == 1)
        {
            players[0] = room.join("ann");
            players[1] = room.join("bob");
        }
        join(room, players, tick, 60, 2, "carol");
        join(room, players, tick, 200, 3, "dave");
        leave(room, players, tick, 120, 1);
        leave(room, players, tick, 250, 0);
        for (int i = 0; i < players.length; i++)
        {
            final FakePlayer player = players[i];
            if (player != null && !player.isGone())
            {
                if (i == 2 && tick % 4 != 0)
                {
                    continue;
                }
                room.input(player, tick, (tick * (i + 3)) % 255 - 127, (tick * 7 + i * 40) % 255 - 127, tick % 4);
                if ((tick + i * 13) % 37 == 0)
                {
                    room.send(player, ArenaProvider.CHAT, 0, "tick " + tick + " from " + player.name());
                }
            }
        }
        return room.runTick().toArray();
    }

    private static void join(
        final FakeRoom room, final FakePlayer[] players, final int tick, final int at, final int slot,
        final String name)
    {
        if (tick == at)
        {
            players[slot] = room.join(name);
        }
    }

    private static void leave(final FakeRoom room, final FakePlayer[] players, final int tick, final int at,
        final int slot)
    {
        if (tick == at)
        {
            room.leave(players[slot], LeaveReason.LEFT);
        }
    }

    private static GameType arena()
    {
        return new ArenaProvider().create(new GameSettings(TICK_RATE_HZ, 1, Map.of("npcs", "50",
            "npcTurnChance", "0.1")));
    }
}
