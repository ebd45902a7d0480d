package io.tickwire.net;

import io.tickwire.api.Chat;
import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;
import io.tickwire.api.Identity;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.InputCodec;
import io.tickwire.codec.MessageCodec;
import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.Sequence;
import io.tickwire.codec.SnapshotHeaderFlyweight;
import io.tickwire.codec.VarInts;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.sim.ClientLink;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.InputValues;
import io.tickwire.sim.JoinOptionValues;
import io.tickwire.sim.JoinTicket;
import io.tickwire.sim.ReplayReport;
import io.tickwire.sim.RoomQuota;
import io.tickwire.sim.RoomReplayer;
import io.tickwire.sim.ShardAgent;
import io.tickwire.sim.ShardConfig;
import io.tickwire.sim.ShardCounters;
import io.tickwire.sim.ShardRouter;
import io.tickwire.sim.SnapshotFlush;
import io.tickwire.sim.TickInputGather;
import io.tickwire.sim.journal.JournalFormat;
import io.tickwire.sim.journal.JournalReader;
import io.tickwire.sim.journal.JournalRecord;
import io.tickwire.sim.journal.JournalRecords;
import io.tickwire.sim.journal.JournalWriterAgent;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deterministic replay of the real games: a shard driven by hand on a fake clock, at the server's default view
 * settings, records an arena room and a tag room (joins, one by a verified identity that later takes its seat again
 * from a new connection, inputs, chat, a leave, a dropped connection, and in tag the game's own idle kick) into a
 * journal rotated while they run. {@link ReplayMain} then replays every file, the first from the room's first
 * checkpoint and the others from rotation checkpoints, and finds every world and view checksum equal. One INPUT
 * changed in a journal makes the tool report the first mismatch at that input's tick, and exit 1.
 */
class ReplayGamesTest
{
    private static final String ROOM = "r1";

    @TempDir
    Path dir;

    private final List<Throwable> errors = new ArrayList<>();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[WireFormat.MAX_CLIENT_MESSAGE_LENGTH]);
    private final ClientMessageFlyweight message = new ClientMessageFlyweight();
    private final InputValues inputValues = new InputValues();
    private final MessageEncoder messageEncoder = new MessageEncoder();
    private final SplittableRandom random = new SplittableRandom(7);
    private InputRing ring;
    private ShardAgent shard;
    private JournalWriterAgent writer;
    private long nowNs = 1_000;
    private long periodNs;

    @Test
    void arenaReplaysWithEveryChecksumEqual() throws IOException
    {
        record("arena", 30, 600, Duration.ofSeconds(8), -1);
        checkEveryFile("arena", 2);
        assertEquals(List.of("REPLACE", "LEFT", "DISCONNECTED", "SERVER_SHUTDOWN", "SERVER_SHUTDOWN",
            "SERVER_SHUTDOWN"), seatChanges());
    }

    @Test
    void tagReplaysWithEveryChecksumEqual() throws IOException
    {
        record("tag", 10, 1300, Duration.ofSeconds(40), 40);
        checkEveryFile("tag", 3);
        assertEquals(List.of("REPLACE", "LEFT", "DISCONNECTED", "KICKED", "SERVER_SHUTDOWN", "SERVER_SHUTDOWN"),
            seatChanges());
    }

    @Test
    void aChangedInputIsReportedAtItsTick() throws IOException
    {
        record("tag", 10, 400, Duration.ofSeconds(20), -1);
        final Path journal = journals().get(1);
        final byte[] bytes = Files.readAllBytes(journal);
        final long changedTick = changeAnInput(bytes);
        Files.write(journal, bytes);

        final StringWriter out = new StringWriter();
        assertEquals(ReplayMain.MISMATCH, replayMain(journal, out), out.toString());
        assertTrue(out.toString().contains("first mismatch at tick " + changedTick + " (TICK world checksum)"),
            out.toString());
    }

    @Test
    void filesThatAreNotEachOthersAreRefused() throws IOException
    {
        record("arena", 30, 300, Duration.ofSeconds(4), -1);
        final List<Path> journals = journals();
        final StringWriter out = new StringWriter();
        final CommandLine command = new CommandLine(new ReplayMain());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(out));
        assertEquals(ReplayMain.UNUSABLE, command.execute("--checkpoint", checkpointOf(journals.get(0)).toString(),
            "--journal", journals.get(1).toString()));
        assertTrue(out.toString().contains("cannot replay: the checkpoint's CRC32 is"), out.toString());
    }

    private void checkEveryFile(final String game, final int minFiles) throws IOException
    {
        final List<Path> journals = journals();
        assertTrue(journals.size() >= minFiles, journals.toString());
        assertTrue(startTick(journals.get(1)) > 0, "a rotation checkpoint");
        final GameType type = type(game, new JournalReader(Files.readAllBytes(journals.get(0))).header().tickRateHz());
        for (final Path journal : journals)
        {
            final StringWriter out = new StringWriter();
            assertEquals(0, replayMain(journal, out), journal + ": " + out);
            final JournalReader reader = new JournalReader(Files.readAllBytes(journal));
            final ReplayReport report = new RoomReplayer(type, reader.header(),
                Files.readAllBytes(checkpointOf(journal))).replay(reader, Long.MAX_VALUE);
            assertTrue(report.allMatch() && report.ticks() > 0 && report.viewChecks() > report.ticks(),
                journal + ": " + report);
        }
        assertEquals(List.of(), errors);
    }

    /**
     * @return the REPLACE records and the reasons of the LEAVE records of every file, in order.
     */
    private List<String> seatChanges() throws IOException
    {
        final List<String> changes = new ArrayList<>();
        final JournalRecord record = new JournalRecord();
        for (final Path journal : journals())
        {
            final JournalReader reader = new JournalReader(Files.readAllBytes(journal));
            while (reader.next(record))
            {
                if (record.kind == JournalFormat.REPLACE || record.kind == JournalFormat.LEAVE)
                {
                    changes.add(record.kind == JournalFormat.REPLACE ? "REPLACE" : record.reason.name());
                }
            }
        }
        return changes;
    }

    private int replayMain(final Path journal, final StringWriter out)
    {
        final CommandLine command = new CommandLine(new ReplayMain());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(out));
        return command.execute("--checkpoint", checkpointOf(journal).toString(), "--journal", journal.toString());
    }

    /**
     * Drives one room of {@code game} for {@code ticks} ticks with its journal on, then disposes it.
     *
     * @param idleFromTick the tick from which one tag player sends nothing, so the game kicks it as idle; -1: none.
     */
    private void record(
        final String game, final int tickRateHz, final int ticks, final Duration rotate, final int idleFromTick)
        throws IOException
    {
        final GameType type = type(game, tickRateHz);
        final GameCatalog catalog = new GameCatalog(List.of(type));
        final ShardConfig base = ShardConfig.defaults(tickRateHz);
        periodNs = base.tickPeriodNs();
        writer = new JournalWriterAgent(dir, rotate, catalog, name -> Map.of(), base, 1 << 22, errors::add);
        ring = new InputRing(1 << 12);
        shard = new ShardAgent(0, base.withJournals(writer).withCheckpoints((int)writer.rotateTicks(),
            base.rehomeGraceTicks(), writer), catalog, new RoomQuota(10, catalog), ring, new ShardRouter(1),
            () -> nowNs, errors::add, new ShardCounters(), List.of(), TickInputGather.NONE, SnapshotFlush.NONE);
        final InputCodec inputCodec = new InputCodec(type.inputSchema());
        final MessageCodec messageCodec = new MessageCodec(type);
        final Identity ada = new Identity("ada", "Ada", Map.of());
        final List<Player> players = new ArrayList<>();
        for (int tick = 1; tick <= ticks; tick++)
        {
            if (tick == 1 || tick == 5 || tick == 30 || tick == 31 || tick == 200)
            {
                players.add(join(type, players.size() + 1, tick == 1 ? ada : null));
            }
            if (tick == 150)
            {
                players.set(0, join(type, 100, ada));
            }
            for (int i = 0; i < players.size(); i++)
            {
                final Player player = players.get(i);
                if (player != null && (i != 2 || idleFromTick < 0 || tick < idleFromTick) && random.nextInt(4) != 0)
                {
                    input(player, type, inputCodec, tick);
                }
            }
            if (tick % 97 == 0 && players.get(1) != null)
            {
                chat(players.get(1), type, messageCodec, "hello at " + tick);
            }
            if (tick == 250)
            {
                leave(players.get(1));
                players.set(1, null);
            }
            if (tick == 320)
            {
                assertTrue(ring.tryPublishClosed(players.get(3).link, io.tickwire.api.LeaveReason.DISCONNECTED));
                players.set(3, null);
            }
            nowNs += periodNs;
            shard.doWork();
            writer.doWork();
        }
        shard.onClose();
        writer.close();
    }

    private static GameType type(final String game, final int tickRateHz)
    {
        return GameCatalog.load(ReplayGamesTest.class.getClassLoader(), List.of(game),
            name -> new GameSettings(tickRateHz, 42, Map.of())).get(game);
    }

    private Player join(final GameType type, final long sessionId, final Identity identity)
    {
        final Player player = new Player(new Link(sessionId));
        assertTrue(ring.tryPublishJoin(player.link, new JoinTicket(type, JoinRequest.MODE_NAMED, ROOM,
            "p" + sessionId, JoinOptionValues.defaults(type), identity)));
        return player;
    }

    private void input(final Player player, final GameType type, final InputCodec codec, final int tick)
    {
        final int[] values = new int[type.inputSchema().fieldCount()];
        for (int field = 0; field < values.length; field++)
        {
            final FieldDef def = type.inputSchema().field(field);
            values[field] = (int)(def.min() + random.nextLong(def.max() - def.min() + 1L));
        }
        final int length = codec.encode(frame, 0, player.link.lastSnapshotSeq, ++player.inputSeq, tick - 2, values);
        message.wrap(frame, 0, length);
        assertEquals(ClientMessageError.NONE, message.validate());
        assertEquals(ClientMessageError.NONE, codec.decode(frame, 0, length, inputValues.values));
        inputValues.count = values.length;
        assertTrue(ring.tryPublishInput(player.link, message, inputValues));
    }

    private void chat(final Player player, final GameType type, final MessageCodec codec, final String text)
    {
        final MessageType chat = type.messageTypes().stream().filter(t -> t.name().equals(Chat.NAME)).findFirst()
            .orElseThrow();
        messageEncoder.begin(chat).putInt(Chat.FIELD_PLAYER, 0).putText(Chat.FIELD_TEXT, text);
        final int length = messageEncoder.encodeClientMessage(frame, 0, 0, ++player.messageSeq);
        message.wrap(frame, 0, length);
        assertEquals(ClientMessageError.NONE, message.validate());
        assertEquals(ClientMessageError.NONE, codec.validateClient(frame, 0, length));
        assertTrue(ring.tryPublishMessage(player.link, message, codec));
    }

    private void leave(final Player player)
    {
        message.wrap(frame, 0, ClientMessageFlyweight.LEAVE_LENGTH).type(WireFormat.TYPE_LEAVE).ack(0);
        assertEquals(ClientMessageError.NONE, message.validate());
        assertTrue(ring.tryPublishControl(player.link, message));
    }

    /**
     * Negates the first move value of an INPUT well inside the journal (same encoded length), and writes the END CRC
     * again, as if it had been recorded so.
     *
     * @return the input's tick.
     */
    private static long changeAnInput(final byte[] journal)
    {
        final JournalReader reader = new JournalReader(journal);
        final JournalRecord record = new JournalRecord();
        int skipped = 0;
        while (reader.next(record))
        {
            if (record.kind == JournalFormat.INPUT && record.values[0] != 0 && skipped++ > 20)
            {
                final int payloadLength = reader.position() - record.offset - 2;
                final int payloadStart = record.offset + 1 + VarInts.lengthOf(payloadLength);
                record.values[0] = -record.values[0];
                final int end = JournalRecords.putInput(new UnsafeBuffer(journal), payloadStart, record.tick,
                    record.playerId, record.inputSeq, record.viewTick, record.values, 0, record.valueCount);
                assertEquals(reader.position(), end, "same length");
                final CRC32 crc = new CRC32();
                crc.update(journal, 0, journal.length - JournalFormat.END_LENGTH);
                ByteBuffer.wrap(journal, journal.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt((int)crc.getValue());
                return record.tick;
            }
        }
        throw new AssertionError("no input to change");
    }

    private List<Path> journals() throws IOException
    {
        try (Stream<Path> files = Files.list(dir.resolve(ROOM)))
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

    private static Path checkpointOf(final Path journal)
    {
        return journal.resolveSibling(journal.getFileName().toString()
            .replace(JournalFormat.JOURNAL_SUFFIX, JournalFormat.CHECKPOINT_SUFFIX));
    }

    /**
     * A hand-driven client: its link and sequences.
     */
    private static final class Player
    {
        final Link link;
        int inputSeq;
        int messageSeq;

        Player(final Link link)
        {
            this.link = link;
        }
    }

    /**
     * A connection that is always writable and sends nothing anywhere.
     */
    private static final class Link implements ClientLink
    {
        private final long sessionId;
        private boolean open = true;
        /** What the player acknowledges, as a client does: the last snapshot it was sent. */
        private int lastSnapshotSeq = Sequence.NONE;

        Link(final long sessionId)
        {
            this.sessionId = sessionId;
        }

        public long sessionId()
        {
            return sessionId;
        }

        public boolean isOpen()
        {
            return open;
        }

        public boolean isWritable()
        {
            return true;
        }

        public boolean offerSnapshot(final DirectBuffer buffer, final int offset, final int length)
        {
            lastSnapshotSeq = buffer.getInt(
                offset + SnapshotHeaderFlyweight.SNAPSHOT_SEQ_OFFSET, WireFormat.BYTE_ORDER);
            return true;
        }

        public void sendControl(final DirectBuffer buffer, final int offset, final int length)
        {
        }

        public void close(final int statusCode, final String reason)
        {
            open = false;
        }
    }
}
