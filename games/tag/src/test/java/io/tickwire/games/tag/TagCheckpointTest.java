package io.tickwire.games.tag;

import io.tickwire.api.ByteStateReader;
import io.tickwire.api.ByteStateWriter;
import io.tickwire.api.GameType;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.testing.FakeEntityWriter;
import io.tickwire.api.testing.FakePlayer;
import io.tickwire.api.testing.FakeRoom;
import io.tickwire.api.testing.SentMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.tickwire.games.tag.TagGame.FIELD_TEAM;
import static io.tickwire.games.tag.TagGame.FIELD_X;
import static io.tickwire.games.tag.TagGame.FIELD_Y;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkpoint rule for tag: a room saved mid-round (tags scored, a round already over and restarted) and restored
 * into a fresh room (factory, seats, restore; no onCreate, no onJoin) runs on exactly as the original with the same
 * inputs, joins and leaves: equal captures every tick, equal messages (tags, round ends, chat).
 */
class TagCheckpointTest
{
    private static final int TICK_RATE_HZ = 30;
    private static final long SEED = 5;
    private static final String NAME = "saved";
    private static final int WINDOW = 31;
    private static final int LAST_TICK = 300;
    private static final String[] NAMES = {"ann", "bob", "cy", "dee", "eve"};
    private static final String[] TEAMS = {"red", "blue", "red", "blue", ""};

    /** What one save-and-restore run went through. */
    private record Run(boolean savedInIntermission, boolean savedWithInvulnerable, int tagsBefore, int tagsAfter,
        boolean roundOverAfter)
    {
    }

    @Test
    void aRestoredRoomRunsOnExactlyAsTheOriginal()
    {
        final List<Run> runs = new ArrayList<>();
        for (int saveTick = 94; saveTick <= 206; saveTick += 8)
        {
            runs.add(saveAndRestoreAt(saveTick));
        }
        assertTrue(runs.stream().anyMatch(Run::savedInIntermission), "no save during an intermission: " + runs);
        assertTrue(runs.stream().anyMatch(Run::savedWithInvulnerable), "no save with an invulnerable avatar: " + runs);
        assertTrue(runs.stream().anyMatch(Run::roundOverAfter), "no round ended after a save: " + runs);
        assertTrue(runs.stream().allMatch(run -> run.tagsBefore() >= 2), runs.toString());
        assertTrue(runs.stream().filter(run -> run.tagsAfter() >= 2).count() >= runs.size() / 2, runs.toString());
    }

    /**
     * Runs the script to {@code saveTick}, saves, restores into a fresh room, runs both to {@value #LAST_TICK} and
     * checks every capture, the players' metadata every tick, and the messages and kicks after the save.
     */
    private static Run saveAndRestoreAt(final int saveTick)
    {
        final GameType type = TagGameTest.tag(Map.of("worldSize", "100"));
        assertEquals(1, type.checkpointVersion());
        final FakeRoom original = new FakeRoom(type, NAME, TICK_RATE_HZ, SEED, WINDOW, Map.of("scoreLimit", "4"));
        final FakePlayer[] originalPlayers = new FakePlayer[NAMES.length];
        for (int tick = 1; tick <= saveTick; tick++)
        {
            drive(original, originalPlayers, tick);
        }
        final boolean inIntermission = "intermission".equals(original.metadata("phase"));
        final FakeEntityWriter atSave = original.lastCapture();
        boolean invulnerable = false;
        for (int row = 0; row < atSave.count(); row++)
        {
            invulnerable |= atSave.value(row, TagGame.FIELD_FLAGS) != 0;
        }
        final int tagsBefore = original.sent("tagged").size();

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
                restoredPlayers[i] = restored.seat(player.id(), player.name(), null, Map.of("team", TEAMS[i]),
                    player.entityId(), player.metadataMap());
            }
        }
        assertArrayEquals(atSave.toArray(), restored.restore(new ByteStateReader(out.toByteArray()),
            type.checkpointVersion(), original.tick(), randomState).toArray());
        original.clearSent();

        for (int tick = saveTick + 1; tick <= LAST_TICK; tick++)
        {
            final int[] expected = drive(original, originalPlayers, tick);
            assertArrayEquals(expected, drive(restored, restoredPlayers, tick),
                "capture of tick " + tick + ", saved at " + saveTick);
            for (int i = 0; i < originalPlayers.length; i++)
            {
                if (originalPlayers[i] != null && !originalPlayers[i].isGone())
                {
                    assertEquals(originalPlayers[i].metadataMap(), restoredPlayers[i].metadataMap(),
                        NAMES[i] + "'s metadata at tick " + tick + ", saved at " + saveTick);
                }
            }
        }
        final List<SentMessage> sent = original.sent();
        assertEquals(sent, restored.sent(), "messages after the save at " + saveTick);
        assertEquals(original.kicks(), restored.kicks());
        return new Run(inIntermission, invulnerable, tagsBefore, original.sent("tagged").size(),
            sent.stream().anyMatch(m -> m.typeName().equals("round") && m.intValue("event") == TagGame.ROUND_OVER));
    }

    @Test
    void restoreRefusesAnotherVersionAShortStateAndAPlayerNotSeated()
    {
        final GameType type = TagGameTest.tag(Map.of());
        final FakeRoom original = new FakeRoom(type, NAME, TICK_RATE_HZ, SEED, WINDOW, Map.of());
        final FakePlayer ann = original.join("ann");
        original.runTicks(3);
        final ByteStateWriter out = new ByteStateWriter();
        original.game().save(out);
        final byte[] bytes = out.toByteArray();

        assertThrows(IllegalStateException.class, () -> seated(type, ann)
            .restore(new ByteStateReader(bytes), 2, 3, 0));
        assertThrows(IllegalStateException.class, () -> seated(type, ann)
            .restore(new ByteStateReader(Arrays.copyOf(bytes, bytes.length - 1)), 1, 3, 0));
        final IllegalStateException notSeated = assertThrows(IllegalStateException.class,
            () -> FakeRoom.forRestore(type, NAME, TICK_RATE_HZ, SEED, WINDOW).restore(new ByteStateReader(bytes), 1,
                3, 0));
        assertTrue(notSeated.getMessage().contains("player " + ann.id()), notSeated.getMessage());
        seated(type, ann).restore(new ByteStateReader(bytes), 1, 3, 0);
    }

    private static FakeRoom seated(final GameType type, final FakePlayer player)
    {
        final FakeRoom room = FakeRoom.forRestore(type, NAME, TICK_RATE_HZ, SEED, WINDOW);
        room.seat(player.id(), player.name(), null, Map.of(), player.entityId(), Map.of());
        return room;
    }

    /**
     * One tick of the script, the same for both rooms: ann, bob and cy from the start, dee joins at 40, bob leaves
     * at 120, eve joins at 200 (after the save, on the smaller team), ann leaves at 260. Everyone present moves
     * differently each tick, aims at the first opponent of the last capture and holds fire (viewing the last
     * captured tick), but cy, who sends an input only every third tick (its intent holds in between) and never
     * fires (it stays invulnerable after each respawn); some chat now and then.
     *
     * @return the tick's capture.
     */
    private static int[] drive(final FakeRoom room, final FakePlayer[] players, final int tick)
    {
        if (tick == 1)
        {
            for (int i = 0; i < 3; i++)
            {
                players[i] = room.join(NAMES[i], Map.of("team", TEAMS[i]));
            }
        }
        if (tick == 40 || tick == 200)
        {
            final int slot = tick == 40 ? 3 : 4;
            players[slot] = room.join(NAMES[slot], Map.of("team", TEAMS[slot]));
        }
        if (tick == 120 || tick == 260)
        {
            room.leave(players[tick == 120 ? 1 : 0], LeaveReason.LEFT);
        }
        final FakeEntityWriter last = room.lastCapture();
        for (int i = 0; i < players.length; i++)
        {
            final FakePlayer player = players[i];
            if (player != null && !player.isGone() && (i != 2 || tick % 3 == 0))
            {
                final int aim = last == null || !last.contains(player.entityId()) ? 0 : aimAtOpponent(last, player);
                room.input(player, tick - 1, (tick * (i + 3)) % 255 - 127, (tick * 7 + i * 40) % 255 - 127, aim,
                    i == 2 || (tick + i) % 5 == 0 ? 0 : 1);
                if ((tick + i * 13) % 53 == 0)
                {
                    room.send(player, TagProvider.CHAT, 0, "tick " + tick + " from " + player.name());
                }
            }
        }
        return room.runTick().toArray();
    }

    private static int aimAtOpponent(final FakeEntityWriter last, final FakePlayer player)
    {
        final int self = player.entityId();
        for (int row = 0; row < last.count(); row++)
        {
            final int other = last.id(row);
            if (last.get(other, FIELD_TEAM) != last.get(self, FIELD_TEAM))
            {
                return TagGameTest.aimAt(last.get(other, FIELD_X) - last.get(self, FIELD_X),
                    last.get(other, FIELD_Y) - last.get(self, FIELD_Y));
            }
        }
        return 0;
    }
}
