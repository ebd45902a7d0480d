package io.tickwire.sim;

import io.tickwire.api.GameType;
import io.tickwire.api.Identity;
import io.tickwire.api.LeaveReason;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.sim.journal.JournalFormat;
import io.tickwire.sim.journal.JournalReader;
import io.tickwire.sim.journal.JournalRecord;
import io.tickwire.sim.journal.JournalWriterAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shard driven by hand records a room's journal while players join, move, chat, get kicked, leave, take a seat
 * again by identity and go unwritable (their snapshots conflated); the {@link RoomReplayer} then rebuilds the room
 * from the journal alone and finds every world and view checksum equal. A journal with one input changed is
 * replayed to its first mismatch, at the input's tick.
 */
class JournalReplayTest
{
    private static final int TICKS = 300;

    @TempDir
    Path dir;

    private final Map<String, RecordingGame> games = new HashMap<>();
    private final GameType type = GameType.builder("probe")
        .entitySchema(RecordingGame.SCHEMA)
        .inputSchema(RecordingGame.INPUTS)
        .message(RecordingGame.SAY)
        .message(RecordingGame.ECHO)
        .joinOption(RecordingGame.TEAM)
        .maxClients(8)
        .maxEntities(64)
        .factory(room -> movingGame(new RecordingGame(room, games)))
        .build();
    private final List<Throwable> writerErrors = new ArrayList<>();

    @Test
    void theReplayMatchesEveryWorldAndViewChecksum() throws IOException
    {
        final byte[] journal = record();
        final JournalReader reader = new JournalReader(journal);
        final RoomReplayer replayer = new RoomReplayer(type, reader.header());
        final ReplayReport report = replayer.replay(reader, Long.MAX_VALUE);

        assertTrue(report.allMatch(), report.toString());
        assertEquals(TICKS + 2, report.ticks(), report.toString());
        assertEquals(TICKS + 2, report.worldChecks());
        assertTrue(report.viewChecks() > 2 * TICKS, report.toString());
        assertEquals(0, report.gameErrors());
        assertEquals(List.of(), writerErrors);
        assertTrue(games.get("r1").calls.contains("leave p3 KICKED"), games.get("r1").calls.toString());
    }

    @Test
    void aChangedInputIsFoundAtItsTick() throws IOException
    {
        final byte[] journal = record();
        final JournalReader scan = new JournalReader(journal);
        final JournalRecord record = new JournalRecord();
        long changedTick = -1;
        while (scan.next(record))
        {
            if (record.kind == JournalFormat.INPUT && record.tick > 100 && record.values[0] != 0)
            {
                changedTick = record.tick;
                break;
            }
        }
        // the last byte of the record is the zigzag varint of its "fire" value (0 or 1): 0 <-> 2 flips 0 and 1.
        journal[scan.position() - 1] ^= 2;
        reseal(journal);

        final JournalReader reader = new JournalReader(journal);
        final ReplayReport report = new RoomReplayer(type, reader.header()).replay(reader, Long.MAX_VALUE);
        assertFalse(report.allMatch());
        assertEquals(changedTick, report.firstMismatchTick(), report.toString());
        assertEquals("TICK world checksum", report.firstMismatch());
    }

    @Test
    void replayStopsAtTheTickAsked() throws IOException
    {
        final JournalReader reader = new JournalReader(record());
        final ReplayReport report = new RoomReplayer(type, reader.header()).replay(reader, 120);
        assertEquals(120, report.ticks(), report.toString());
        assertTrue(report.allMatch(), report.toString());
    }

    /**
     * Runs the room for {@link #TICKS} cycles (the first runs two ticks) with its journal on, then disposes it (END).
     *
     * @return the journal's bytes.
     */
    private byte[] record() throws IOException
    {
        final ShardConfig base = new ShardConfig(ShardDriver.TICK_RATE_HZ, 3, 256, 8, 2, 4, 8, 60, 20, 5, true, 64,
            42L);
        final JournalWriterAgent writer = new JournalWriterAgent(dir, new GameCatalog(List.of(type)), base, 1 << 20,
            writerErrors::add);
        final ShardDriver driver = new ShardDriver(base.withJournals(writer), 100, List.of(type), "probe:r1");
        final RecordingGame game = games.get("r1");
        final List<TestClient> clients = new ArrayList<>();
        final Identity ada = new Identity("ada", "Ada", Map.of());
        clients.add(driver.join(1, new JoinRequest("probe", JoinRequest.MODE_NAMED, "r1", "p1", Map.of()), ada));
        driver.tick(1);
        for (int tick = 1; tick <= TICKS; tick++)
        {
            if (tick == 10 || tick == 20)
            {
                clients.add(driver.join(clients.size() + 1, "probe", "r1"));
            }
            if (tick == 150)
            {
                clients.get(1).link.writable = false;
            }
            if (tick == 170)
            {
                clients.get(1).link.writable = true;
            }
            if (tick == 200)
            {
                clients.set(0, driver.join(9, new JoinRequest("probe", JoinRequest.MODE_NAMED, "r1", "p1again",
                    Map.of("team", "1")), ada));
            }
            for (int i = 0; i < clients.size(); i++)
            {
                final TestClient client = clients.get(i);
                if (client != null && (tick + i) % 3 != 0)
                {
                    client.input(tick, (tick * (i + 3)) % 21 - 10, tick % 7 == 0 ? 1 : 0);
                }
            }
            if (tick == 40 || tick == 90)
            {
                clients.get(0).say("hello " + tick);
            }
            if (tick == 120)
            {
                clients.get(2).say("kick me");
            }
            if (tick == 240)
            {
                clients.get(1).leave();
                clients.set(1, null);
            }
            driver.tick(1);
            writer.doWork();
        }
        driver.shard.onClose();
        writer.close();
        assertTrue(game.calls.contains("leave p2 " + LeaveReason.LEFT), game.calls.toString());
        return Files.readAllBytes(dir.resolve("r1").resolve("0.twj"));
    }

    /**
     * Makes the recording game move: 20 NPCs walk at random (the room's generator), avatars move by their inputs,
     * a player's message moves its avatar, and a player who says "kick me" is kicked.
     */
    private static RecordingGame movingGame(final RecordingGame game)
    {
        for (int npc = 1; npc <= 20; npc++)
        {
            game.avatars.put(npc, new int[] {npc * 17, 300 - npc * 13});
        }
        game.onStep = () ->
        {
            for (final Map.Entry<Integer, int[]> entity : game.avatars.entrySet())
            {
                if (entity.getKey() < 100)
                {
                    entity.getValue()[0] = Math.max(0, Math.min(400, entity.getValue()[0] +
                        game.room.random().nextInt(-6, 7)));
                }
            }
        };
        game.onInput = (player, input) ->
        {
            final int[] avatar = game.avatars.get(player.entityId());
            avatar[0] = Math.max(0, Math.min(400, avatar[0] + input.get(0) * (1 + input.get(1))));
            avatar[1] = Math.max(0, Math.min(400, avatar[1] + input.get(0)));
        };
        game.onMessage = (player, message) ->
        {
            game.echo(player, message);
            game.avatars.get(player.entityId())[1] = message.getText(0).length();
            if (message.getText(0).equals("kick me"))
            {
                game.room.kick(player, "asked for it");
            }
        };
        return game;
    }

    /**
     * Writes the END record's CRC again, as if the changed journal had been recorded so.
     */
    static void reseal(final byte[] journal)
    {
        final CRC32 crc = new CRC32();
        crc.update(journal, 0, journal.length - JournalFormat.END_LENGTH);
        java.nio.ByteBuffer.wrap(journal, journal.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN)
            .putInt((int)crc.getValue());
    }
}
