package io.tickwire.sim;

import io.tickwire.api.EntityWriter;
import io.tickwire.api.Game;
import io.tickwire.api.GameType;
import io.tickwire.api.Identity;
import io.tickwire.api.Input;
import io.tickwire.api.JoinDecision;
import io.tickwire.api.JoinOptions;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Message;
import io.tickwire.api.Player;
import io.tickwire.api.RoomContext;
import io.tickwire.api.StateReader;
import io.tickwire.api.StateWriter;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.sim.journal.JournalFormat;
import io.tickwire.sim.journal.JournalFormatException;
import io.tickwire.sim.journal.JournalReader;
import io.tickwire.sim.journal.JournalRecord;
import io.tickwire.sim.journal.JournalWriterAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shard driven by hand records a room's journal, rotated every 100 ticks, while players join, move, chat, get
 * kicked, leave, take a seat again by identity and go unwritable (their snapshots conflated); the
 * {@link RoomReplayer} then rebuilds the room from each file's checkpoint and the journal alone and finds every world
 * and view checksum equal. A journal with one input changed is replayed to its first mismatch, at the input's tick.
 */
class JournalReplayTest
{
    private static final int CYCLES = 300;
    private static final int ROTATE_TICKS = 100;

    @TempDir
    Path dir;

    private final GameType type = GameType.builder("walk")
        .entitySchema(RecordingGame.SCHEMA)
        .inputSchema(RecordingGame.INPUTS)
        .message(RecordingGame.SAY)
        .message(RecordingGame.ECHO)
        .joinOption(RecordingGame.TEAM)
        .maxClients(8)
        .maxEntities(64)
        .checkpointVersion(1)
        .factory(WalkGame::new)
        .build();
    private final List<Throwable> writerErrors = new ArrayList<>();
    private final List<String> leaves = new ArrayList<>();

    @Test
    void everyFileReplaysFromItsCheckpointWithEveryChecksumEqual() throws IOException
    {
        record();
        final List<Path> journals = journals();
        assertEquals(3, journals.size(), journals.toString());
        long ticks = 0;
        long worldChecks = 0;
        long gameErrors = 0;
        for (final Path journal : journals)
        {
            final ReplayReport report = replay(journal, Long.MAX_VALUE);
            assertTrue(report.allMatch(), journal + ": " + report);
            assertTrue(report.viewChecks() > 0, journal + ": " + report);
            ticks += report.ticks();
            worldChecks += report.worldChecks();
            gameErrors += report.gameErrors();
        }
        assertEquals(CYCLES + 1, ticks, "the files cover every tick once");
        assertEquals(CYCLES, worldChecks, "every tick but the one whose step failed has its checksum");
        assertEquals(1, gameErrors, "the step that failed in the recording fails in the replay");
        assertEquals(List.of(), writerErrors);
        assertTrue(leaves.contains("3 KICKED") && leaves.contains("2 LEFT"), leaves.toString());
    }

    @Test
    void aChangedInputIsFoundAtItsTick() throws IOException
    {
        record();
        final byte[] journal = Files.readAllBytes(dir.resolve("r1/0.twj"));
        final JournalReader scan = new JournalReader(journal);
        final JournalRecord record = new JournalRecord();
        long changedTick = -1;
        while (scan.next(record))
        {
            if (record.kind == JournalFormat.INPUT && record.tick > 50 && record.values[0] != 0)
            {
                changedTick = record.tick;
                break;
            }
        }
        // the last byte of the record is the zigzag varint of its "fire" value (0 or 1): 0 <-> 2 flips it.
        journal[scan.position() - 1] ^= 2;
        reseal(journal);
        Files.write(dir.resolve("r1/0.twj"), journal);

        final ReplayReport report = replay(dir.resolve("r1/0.twj"), Long.MAX_VALUE);
        assertFalse(report.allMatch());
        assertEquals(changedTick, report.firstMismatchTick(), report.toString());
        assertEquals("TICK world checksum", report.firstMismatch());
    }

    @Test
    void replayStopsAtTheTickAsked() throws IOException
    {
        record();
        final Path second = journals().get(1);
        final ReplayReport report = replay(second, startTick(second) + 50);
        assertEquals(50, report.ticks(), report.toString());
        assertTrue(report.allMatch(), report.toString());
    }

    @Test
    void aFullRingBreaksTheJournalWithoutBlockingTheShard() throws IOException
    {
        final JournalWriterAgent writer = record(4096, 0);
        assertTrue(writer.droppedRecords() > 0, writer.droppedRecords() + " " + writerErrors + " " + journals());
        final byte[] journal = Files.readAllBytes(dir.resolve("r1/0.twj"));
        final JournalFormatException cut = assertThrows(JournalFormatException.class,
            () -> JournalReader.verify(journal));
        assertTrue(cut.getMessage().startsWith("file ends without an END record"), cut.getMessage());
        assertEquals(1, journals().size(), "a broken journal starts no new file");
    }

    @Test
    void aRoomNameUsedAgainGetsFilesOfItsOwn() throws IOException
    {
        record();
        record();
        assertTrue(Files.exists(dir.resolve("r1/0~1.twj")) && Files.exists(dir.resolve("r1/0~1.twc")));
        assertTrue(replay(dir.resolve("r1/0~1.twj"), Long.MAX_VALUE).allMatch());
    }

    @Test
    void roomNamesBecomeSafeDirectoryNames()
    {
        assertEquals("arena-0-12", JournalWriterAgent.directoryName("arena-0-12"));
        assertEquals("%2E.%2F%C3%A9", JournalWriterAgent.directoryName("../é"));
    }

    private ReplayReport replay(final Path journal, final long untilTick) throws IOException
    {
        final JournalReader reader = new JournalReader(Files.readAllBytes(journal));
        final Path checkpoint = journal.resolveSibling(journal.getFileName().toString()
            .replace(JournalFormat.JOURNAL_SUFFIX, JournalFormat.CHECKPOINT_SUFFIX));
        return new RoomReplayer(type, reader.header(), Files.readAllBytes(checkpoint)).replay(reader, untilTick);
    }

    private List<Path> journals() throws IOException
    {
        try (Stream<Path> files = Files.list(dir.resolve("r1")))
        {
            return files.filter(path -> path.toString().endsWith(JournalFormat.JOURNAL_SUFFIX))
                .sorted((a, b) -> Long.compare(startTick(a), startTick(b))).toList();
        }
    }

    private static long startTick(final Path journal)
    {
        final String name = journal.getFileName().toString();
        return Long.parseLong(name.substring(0, name.indexOf('.')));
    }

    /**
     * Runs the room for {@link #CYCLES} ticks (the first cycle runs two) with its journal on, then disposes it.
     */
    private void record() throws IOException
    {
        record(1 << 20, 1);
    }

    /**
     * @param drainEvery the writer drains its ring every this many cycles; 0: only at the end.
     */
    private JournalWriterAgent record(final int ringBytes, final int drainEvery) throws IOException
    {
        final ShardConfig base = new ShardConfig(ShardDriver.TICK_RATE_HZ, 3, 256, 8, 2, 4, 8, 60, 20, 5, true, 64,
            42L);
        final JournalWriterAgent writer = new JournalWriterAgent(dir,
            Duration.ofNanos(ROTATE_TICKS * base.tickPeriodNs()), new GameCatalog(List.of(type)), name -> Map.of(),
            base, ringBytes, writerErrors::add);
        final ShardDriver driver = new ShardDriver(
            base.withJournals(writer).withCheckpoints(ROTATE_TICKS, 1000, writer), 100, List.of(type), "walk:r1");
        final List<TestClient> clients = new ArrayList<>();
        final Identity ada = new Identity("ada", "Ada", Map.of());
        clients.add(driver.join(1, new JoinRequest("walk", JoinRequest.MODE_NAMED, "r1", "p1", Map.of()), ada));
        driver.tick(1);
        for (int cycle = 2; cycle <= CYCLES; cycle++)
        {
            script(driver, clients, cycle, ada);
            driver.tick(1);
            if (drainEvery > 0 && cycle % drainEvery == 0)
            {
                writer.doWork();
            }
        }
        driver.shard.onClose();
        writer.close();
        return writer;
    }

    private static void script(
        final ShardDriver driver, final List<TestClient> clients, final int tick, final Identity ada)
    {
        switch (tick)
        {
            case 10, 20 -> clients.add(driver.join(clients.size() + 1, "walk", "r1"));
            case 150 -> clients.get(1).link.writable = false;
            case 170 -> clients.get(1).link.writable = true;
            case 210 -> clients.set(0, driver.join(9, new JoinRequest("walk", JoinRequest.MODE_NAMED, "r1",
                "p1again", Map.of("team", "1")), ada));
            default ->
            {
            }
        }
        for (int i = 0; i < clients.size(); i++)
        {
            final TestClient client = clients.get(i);
            if (client != null && (tick + i) % 3 != 0)
            {
                client.input(tick, (tick * (i + 3)) % 21 - 10, tick % 7 == 0 ? 1 : 0);
            }
        }
        switch (tick)
        {
            case 40, 130 -> clients.get(0).say("hello " + tick);
            case 60 -> clients.get(0).say("fail");
            case 120 -> clients.get(2).say("kick me");
            case 240 ->
            {
                clients.get(1).leave();
                clients.set(1, null);
            }
            default ->
            {
            }
        }
    }

    /**
     * Writes the END record's CRC again, as if the changed journal had been recorded so.
     */
    static void reseal(final byte[] journal)
    {
        final CRC32 crc = new CRC32();
        crc.update(journal, 0, journal.length - JournalFormat.END_LENGTH);
        ByteBuffer.wrap(journal, journal.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int)crc.getValue());
    }

    /**
     * 20 NPCs walk at random (the room's generator); each player's avatar ({@code 100 + id}) moves by its inputs
     * and its messages; a player who says "kick me" is kicked, one who says "fail" makes the next step throw after it
     * moved the NPCs (the shard records no checksum for that tick). Saves and restores its entities.
     */
    private final class WalkGame implements Game
    {
        private final RoomContext room;
        private final TreeMap<Integer, int[]> entities = new TreeMap<>();
        private boolean failNextStep;

        WalkGame(final RoomContext room)
        {
            this.room = room;
        }

        public void onCreate(final JoinOptions options)
        {
            for (int npc = 1; npc <= 20; npc++)
            {
                entities.put(npc, new int[] {npc * 17, 300 - npc * 13});
            }
        }

        public JoinDecision onJoinRequest(final Player player, final JoinOptions options)
        {
            return JoinDecision.ACCEPT;
        }

        public void onJoin(final Player player)
        {
            final int id = 100 + player.id();
            entities.put(id, new int[] {id, id});
            player.setEntityId(id);
        }

        public void onLeave(final Player player, final LeaveReason reason)
        {
            leaves.add(player.id() + " " + reason);
            entities.remove(player.entityId());
        }

        public void onInput(final Player player, final Input input)
        {
            final int[] avatar = entities.get(player.entityId());
            avatar[0] = Math.max(0, Math.min(400, avatar[0] + input.get(0) * (1 + input.get(1))));
            avatar[1] = Math.max(0, Math.min(400, avatar[1] + input.get(0)));
        }

        public void onMessage(final Player player, final Message message)
        {
            room.message(RecordingGame.ECHO).putInt(0, player.id()).putText(1, message.getText(0)).broadcast();
            entities.get(player.entityId())[1] = message.getText(0).length();
            if (message.getText(0).equals("kick me"))
            {
                room.kick(player, "asked for it");
            }
            failNextStep |= message.getText(0).equals("fail");
        }

        public void step(final long tick)
        {
            for (final Map.Entry<Integer, int[]> entity : entities.entrySet())
            {
                if (entity.getKey() < 100)
                {
                    entity.getValue()[0] = Math.max(0, Math.min(400, entity.getValue()[0] +
                        room.random().nextInt(-6, 7)));
                }
            }
            if (failNextStep)
            {
                failNextStep = false;
                throw new IllegalStateException("a step that fails after moving the NPCs");
            }
        }

        public void capture(final EntityWriter writer)
        {
            for (final Map.Entry<Integer, int[]> entity : entities.entrySet())
            {
                final int row = writer.add(entity.getKey());
                writer.set(row, 0, entity.getValue()[0]);
                writer.set(row, 1, entity.getValue()[1]);
                writer.set(row, 2, 100);
            }
        }

        public void save(final StateWriter out)
        {
            out.writeVarInt(entities.size());
            for (final Map.Entry<Integer, int[]> entity : entities.entrySet())
            {
                out.writeVarInt(entity.getKey());
                out.writeInts(entity.getValue(), 0, 2);
            }
        }

        public void restore(final StateReader in, final int version)
        {
            entities.clear();
            for (int i = in.readVarInt(); i > 0; i--)
            {
                final int[] position = new int[2];
                final int id = in.readVarInt();
                in.readInts(position, 0, 2);
                entities.put(id, position);
            }
        }
    }
}
