package io.tickwire.sim;

import io.tickwire.api.GameType;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.MessageReader;
import io.tickwire.codec.ViewChecksum;
import io.tickwire.sim.checkpoint.CheckpointCodec;
import io.tickwire.sim.checkpoint.CheckpointFormatException;
import io.tickwire.sim.checkpoint.RoomSnapshot;
import io.tickwire.sim.journal.JournalFormat;
import io.tickwire.sim.journal.JournalHeader;
import io.tickwire.sim.journal.JournalReader;
import io.tickwire.sim.journal.JournalRecord;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Replays a room's input journal offline, through the same {@link Room} code the shard runs: the room is restored
 * from the checkpoint the journal starts from, under the settings its header records, and each record is applied as
 * the shard applied it.
 * <pre>
 *   JOIN     newClient (ids the live run spent on refused joins are skipped), askJoin, seat, onJoin, welcome
 *   LEAVE    remove(reason): onLeave       (a kick by the game itself is repeated by the game: checked)
 *   INPUT    beginTick when the tick starts, applyInput
 *   MESSAGE  onMessage with the recorded field bytes
 *   TICK     beginTick when no input started it, stepAndCapture, compare the world checksum
 *   FANOUT   for each player listed: build its view as SnapshotFanOut does (interest, hysteresis, cap; no
 *            encoding), keep it for the next view's hysteresis, compare its checksum
 *   REPLACE  checks the seat exists (a new connection: no game effect)
 *   VIEW     the player's last view before the checkpoint becomes its previous view (hysteresis)
 * </pre>
 * Single threaded; a tool, not a hot path.
 */
public final class RoomReplayer
{
    /** Most ticks in a row a replay runs without a TICK record (failed steps) before it calls the journal wrong. */
    static final int MAX_UNRECORDED_TICKS = 1 << 16;

    private final GameType type;
    private final JournalHeader header;
    private final Room room;
    private final ReplayLink link = new ReplayLink();
    private final RoomInput input = new RoomInput();
    private final MessageReader messageReader = new MessageReader();
    private final ViewChecksum viewChecksum = new ViewChecksum();
    private final List<Throwable> gameErrors = new ArrayList<>();
    private long[] seedKeys = new long[64];
    private boolean tickBegun;
    private long ticks;
    private long worldChecks;
    private long worldMatches;
    private long viewChecks;
    private long viewMatches;
    private long firstMismatchTick = -1;
    private String firstMismatch;

    /**
     * Restores the room from the checkpoint the journal starts from, as re-homing does: platform state, the game's
     * factory and {@code restore}, every seat detached (a REPLACE or LEAVE in the journal says what became of it),
     * a capture compared with the checkpoint's CRC (but at tick 0: a room's first checkpoint is taken before its
     * first capture).
     *
     * @param checkpoint the bytes of the journal's {@code .twc} file.
     * @throws IllegalArgumentException when the checkpoint is not the journal's (CRC, room, tick), the type is not
     *                                  the journal's or its schemas changed since, or the game failed to restore.
     */
    public RoomReplayer(final GameType type, final JournalHeader header, final byte[] checkpoint)
    {
        this.type = type;
        this.header = header;
        if (!type.name().equals(header.type()) || JournalHeader.schemaCrc(type) != header.schemaCrc())
        {
            throw new IllegalArgumentException("the journal is of type " + header.type() + " with schema CRC " +
                Integer.toHexString(header.schemaCrc()) + ", not of " + type.name() + " with " +
                Integer.toHexString(JournalHeader.schemaCrc(type)) + ": the game's schemas changed");
        }
        final CRC32 crc = new CRC32();
        crc.update(checkpoint);
        if ((int)crc.getValue() != header.checkpointCrc())
        {
            throw new IllegalArgumentException("the checkpoint's CRC32 is " + Integer.toHexString((int)crc.getValue()) +
                ", the journal starts from one with " + Integer.toHexString(header.checkpointCrc()));
        }
        final RoomSnapshot snapshot;
        try
        {
            snapshot = CheckpointCodec.read(checkpoint);
        }
        catch (final CheckpointFormatException ex)
        {
            throw new IllegalArgumentException("not a checkpoint: " + ex.getMessage(), ex);
        }
        if (!header.room().equals(snapshot.room()) || header.startTick() != snapshot.tick())
        {
            throw new IllegalArgumentException("the checkpoint is of room " + snapshot.room() + " at tick " +
                snapshot.tick() + ", the journal of " + header.room() + " from tick " + header.startTick());
        }
        final ShardScratch scratch = new ShardScratch();
        room = new Room(header.room(), type, false, replayConfig(header), this::onGameError, new ShardCounters(),
            scratch);
        if (!room.restore(snapshot, snapshot.epoch(), Long.MAX_VALUE / 2))
        {
            throw new IllegalArgumentException("the game failed to restore the checkpoint: " + gameErrors);
        }
        if (snapshot.tick() > 0 &&
            room.entities().crc32c(scratch.captureCrc, scratch.captureCrcChunk) != snapshot.captureCrc())
        {
            mismatch(snapshot.tick(), "the restored capture differs from the checkpoint's");
        }
    }

    /**
     * The shard settings of the recording, as far as a room's state depends on them: tick rate, history window,
     * view radius, hysteresis and cap, and seed. Resume is off and the message backlog is at its maximum: a replay
     * has no connections to acknowledge or resume anything.
     */
    static ShardConfig replayConfig(final JournalHeader header)
    {
        return new ShardConfig(header.tickRateHz(), 1, 2, 1, 64, 2, header.historyWindowTicks(), header.viewRadius(),
            header.viewHysteresis(), header.maxEntitiesPerSnapshot(), true, 1 << 16, header.seed(), 1 << 20, 0);
    }

    /**
     * Applies every record of {@code reader} up to {@code untilTick}.
     *
     * @param untilTick the last tick to replay; {@link Long#MAX_VALUE} for all.
     * @return what matched.
     * @throws io.tickwire.sim.journal.JournalFormatException when the journal is malformed.
     */
    public ReplayReport replay(final JournalReader reader, final long untilTick)
    {
        final JournalRecord record = new JournalRecord();
        while (reader.next(record))
        {
            final boolean ticked = record.kind == JournalFormat.INPUT || record.kind == JournalFormat.TICK ||
                record.kind == JournalFormat.FANOUT;
            if ((ticked ? record.tick : record.tick + 1) > untilTick || !apply(record, reader.buffer()))
            {
                break;
            }
        }
        return report();
    }

    /**
     * @return the report so far.
     */
    public ReplayReport report()
    {
        return new ReplayReport(ticks, worldChecks, worldMatches, viewChecks, viewMatches, firstMismatchTick,
            firstMismatch, gameErrors.size());
    }

    /**
     * @return the room's entity table as last captured, one line per entity: {@code id: field=value ...}.
     */
    public List<String> dumpEntities()
    {
        final EntityTable entities = room.entities();
        final List<String> lines = new ArrayList<>();
        for (int row = 0; row < entities.count(); row++)
        {
            final StringBuilder line = new StringBuilder().append(entities.id(row)).append(':');
            for (int field = 0; field < type.entitySchema().fieldCount(); field++)
            {
                line.append(' ').append(type.entitySchema().field(field).name()).append('=')
                    .append(entities.value(row, field));
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * @return the errors the game threw during the replay, in order.
     */
    public List<Throwable> gameErrors()
    {
        return gameErrors;
    }

    /**
     * @return false when the replay cannot go on: the journal and the replay no longer describe the same room.
     */
    private boolean apply(final JournalRecord record, final DirectBuffer file)
    {
        switch (record.kind)
        {
            case JournalFormat.JOIN:
                return join(record);
            case JournalFormat.LEAVE:
                return leave(record);
            case JournalFormat.INPUT:
                return input(record);
            case JournalFormat.MESSAGE:
                return message(record, file);
            case JournalFormat.TICK:
                return tick(record);
            case JournalFormat.FANOUT:
                return fanOut(record);
            case JournalFormat.VIEW:
                return seedView(record);
            default:
                return seated(record) != null;
        }
    }

    private boolean join(final JournalRecord record)
    {
        final JoinOptionValues options = JoinOptionValues.of(type, record.options);
        RoomClient client = room.newClient(link, record.playerName, record.identity, options);
        while (client.id() < record.playerId)
        {
            client = room.newClient(link, record.playerName, record.identity, options);
        }
        if (client.id() != record.playerId)
        {
            return stop(record, "JOIN: the replay gave player id " + client.id());
        }
        final String refusal = room.askJoin(client, options);
        if (refusal != null)
        {
            return stop(record, "JOIN: the game refused it in the replay: " + refusal);
        }
        room.seat(client);
        try
        {
            room.onJoin(client);
        }
        catch (final Throwable ex)
        {
            onGameError(room, "onJoin", ex);
            return true;
        }
        if (client.state() != RoomClient.LEAVING)
        {
            room.sendPresenceList(client);
            room.completeWelcome(client);
        }
        return true;
    }

    private boolean leave(final JournalRecord record)
    {
        final RoomClient client = seated(record);
        if (client == null)
        {
            return false;
        }
        final boolean kickedInReplay = client.state() == RoomClient.LEAVING &&
            client.leaveReason() == LeaveReason.KICKED;
        if ((record.reason == LeaveReason.KICKED) != kickedInReplay)
        {
            mismatch(record.tick + 1, "LEAVE of player " + record.playerId + ": " + record.reason +
                " recorded, " + (kickedInReplay ? "" : "not ") + "kicked by the replay's game");
        }
        room.remove(client, record.reason, true);
        return true;
    }

    private boolean input(final JournalRecord record)
    {
        final RoomClient client = seated(record);
        if (client == null || !startTick(record))
        {
            return false;
        }
        input.wrap(record.inputSeq, record.viewTick, record.values, 0, record.valueCount);
        room.applyInput(client, input);
        return true;
    }

    private boolean message(final JournalRecord record, final DirectBuffer file)
    {
        final RoomClient client = seated(record);
        final MessageType messageType = type.messageType(record.typeId);
        if (client == null)
        {
            return false;
        }
        if (messageType == null)
        {
            return stop(record, "MESSAGE of unknown type id " + record.typeId);
        }
        messageReader.wrap(messageType, file, record.fieldsOffset, record.fieldsLength);
        room.onMessage(client, messageReader);
        return true;
    }

    private boolean tick(final JournalRecord record)
    {
        if (!startTick(record))
        {
            return false;
        }
        room.stepAndCapture();
        tickBegun = false;
        ticks++;
        worldChecks++;
        if (room.entities().viewChecksum(viewChecksum) == record.worldChecksum)
        {
            worldMatches++;
        }
        else
        {
            mismatch(record.tick, "TICK world checksum");
        }
        return true;
    }

    private boolean fanOut(final JournalRecord record)
    {
        if (record.tick != room.tick())
        {
            return stop(record, "FANOUT of tick " + record.tick + " after tick " + room.tick());
        }
        for (int i = 0; i < record.fanOutCount; i++)
        {
            final RoomClient client = (RoomClient)room.playerById(record.fanOutPlayerIds[i]);
            if (client == null)
            {
                return stop(record, "FANOUT: no player " + record.fanOutPlayerIds[i]);
            }
            viewChecks++;
            if (room.fanOut().replayView(room, client, viewChecksum) == record.fanOutChecksums[i])
            {
                viewMatches++;
            }
            else
            {
                mismatch(record.tick, "FANOUT view checksum of player " + client.id());
            }
        }
        return true;
    }

    /**
     * A file that starts at a running room's checkpoint: the view the player was last sent before it, kept as if the
     * replay had sent it, so the next view's hysteresis is the recording's.
     */
    private boolean seedView(final JournalRecord record)
    {
        final RoomClient client = seated(record);
        if (client == null)
        {
            return false;
        }
        final WorldHistory world = room.world();
        if (seedKeys.length < record.fanOutCount)
        {
            seedKeys = new long[record.fanOutCount];
        }
        int count = 0;
        for (int i = 0; i < record.fanOutCount; i++)
        {
            final int slot = world.slotOf(record.fanOutPlayerIds[i]);
            if (slot >= 0)
            {
                seedKeys[count++] = ((long)record.fanOutPlayerIds[i] << 32) | slot;
            }
        }
        client.history.store(client.nextSnapshotSeq(), world.currentTick(), seedKeys, count);
        return true;
    }

    /**
     * Begins the record's tick if it is the next one; an INPUT or TICK may also be of the tick an INPUT began. Ticks
     * the journal has no TICK for are run first, unchecked: their step or capture threw in the recording (the shard
     * records no checksum then), and the game's step ran all the same.
     */
    private boolean startTick(final JournalRecord record)
    {
        if (tickBegun && record.tick == room.tick())
        {
            return true;
        }
        if (record.tick <= room.tick() || record.tick - room.tick() > MAX_UNRECORDED_TICKS)
        {
            return stop(record, JournalFormat.kindName(record.kind) + " of tick " + record.tick + " after tick " +
                room.tick());
        }
        while (room.tick() + 1 < record.tick || tickBegun)
        {
            if (!tickBegun)
            {
                room.beginTick();
            }
            room.stepAndCapture();
            tickBegun = false;
            ticks++;
        }
        room.beginTick();
        tickBegun = true;
        return true;
    }

    private RoomClient seated(final JournalRecord record)
    {
        final RoomClient client = (RoomClient)room.playerById(record.playerId);
        if (client == null)
        {
            stop(record, JournalFormat.kindName(record.kind) + ": no player " + record.playerId + " in the replay");
        }
        return client;
    }

    private void mismatch(final long tick, final String what)
    {
        if (firstMismatch == null)
        {
            firstMismatchTick = tick;
            firstMismatch = what;
        }
    }

    private boolean stop(final JournalRecord record, final String what)
    {
        mismatch(record.kind == JournalFormat.INPUT || record.kind == JournalFormat.TICK ||
            record.kind == JournalFormat.FANOUT ? record.tick : record.tick + 1, what + " (record at offset " +
            record.offset + ")");
        return false;
    }

    private void onGameError(final Room errorRoom, final String callback, final Throwable error)
    {
        gameErrors.add(new GameException(type.name(), header.room(), callback, error));
    }

    /**
     * The connection of every replayed player: writable, open, and it sends nothing.
     */
    private static final class ReplayLink implements ClientLink
    {
        public long sessionId()
        {
            return 0;
        }

        public boolean isOpen()
        {
            return true;
        }

        public boolean isWritable()
        {
            return true;
        }

        public boolean offerSnapshot(final DirectBuffer buffer, final int offset, final int length)
        {
            return true;
        }

        public void sendControl(final DirectBuffer buffer, final int offset, final int length)
        {
        }

        public void close(final int statusCode, final String reason)
        {
        }
    }
}
