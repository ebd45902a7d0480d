package io.tickwire.sim.journal;

import io.tickwire.api.GameType;
import io.tickwire.api.Identity;
import io.tickwire.api.JoinOptions;
import io.tickwire.api.LeaveReason;
import io.tickwire.codec.VarInts;
import io.tickwire.sim.checkpoint.CheckpointFrame;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One room's journal on its shard thread: each call encodes its record into the room's scratch buffer and writes it
 * into the journal writer's ring ({@link JournalWriterAgent}), tagged with this journal's id. Never blocks: when the
 * ring is full the record is lost, so the journal is broken from there on (counted in
 * {@code tickwire_journal_dropped_total}); it records nothing more and tells the writer as soon as the ring takes the
 * message, and the writer closes the file without END. Allocation free after the scratch buffer has grown, except
 * {@link #onJoin} and {@link #onCreate} (cold).
 * <pre>
 *   ring message:  msgTypeId = record kind (1..7) or a control kind below | i32 journalId | payload
 *     OPEN        var startTick, text room, text type      (sent by the constructor)
 *     CHECKPOINT  var slot                                  (a frame parked in the writer's slots: a new file)
 *     CLOSE       var tickAfter                             (the room was disposed: END)
 *     BROKEN      -                                         (records were lost: no END)
 * </pre>
 */
final class JournalRecorder implements RoomJournal
{
    static final int OPEN = 64;
    static final int CHECKPOINT = 65;
    static final int CLOSE = 66;
    static final int BROKEN = 67;
    static final int ID_LENGTH = 4;

    private final RingBuffer ring;
    private final int journalId;
    private final GameType type;
    private final AtomicLong dropped;
    private final JournalWriterAgent writer;
    private final long rotateTicks;
    private final String room;
    private long fileStartTick = -1;
    private long lastTick = -1;
    private int viewCount;
    private int[] viewPlayerIds;
    private long[][] viewKeys;
    private int[] viewLengths;
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(1024);
    /** Written once by the shard thread; the writer reads it at close, when no BROKEN message got through. */
    private volatile boolean broken;
    private boolean brokenSent;
    private boolean closed;
    private boolean opened;

    JournalRecorder(
        final JournalWriterAgent writer, final RingBuffer ring, final int journalId, final GameType type,
        final String room, final long startTick, final long rotateTicks, final AtomicLong dropped)
    {
        this.writer = writer;
        this.rotateTicks = rotateTicks;
        this.room = room;
        this.ring = ring;
        this.journalId = journalId;
        this.type = type;
        this.dropped = dropped;
        int at = VarInts.putVarLong(scratch, ID_LENGTH, startTick);
        at = JournalRecords.putText(scratch, at, room);
        at = JournalRecords.putText(scratch, at, type.name());
        send(OPEN, at);
        opened = !broken;
    }

    /**
     * Shard thread, from the checkpoint sink: takes the frame as the start of a new file when the journal has none
     * yet or its file is {@code rotateTicks} old.
     *
     * @return true when the frame was taken: the writer releases it.
     */
    boolean offerCheckpoint(final CheckpointFrame frame)
    {
        final long tick = frame.snapshot().tick();
        if (closed || broken || (fileStartTick >= 0 && tick - fileStartTick < rotateTicks))
        {
            return false;
        }
        final int slot = writer.park(frame);
        if (slot < 0)
        {
            return false;
        }
        scratch.putInt(0, journalId);
        if (!ring.write(CHECKPOINT, scratch, 0, VarInts.putVarLong(scratch, ID_LENGTH, slot)))
        {
            writer.unpark(slot);
            return false;
        }
        fileStartTick = tick;
        sendViews(frame);
        return true;
    }

    /**
     * The new file opens with the last view each seated player was sent, kept since the rotation was due.
     */
    private void sendViews(final CheckpointFrame frame)
    {
        for (int seat = 0, n = frame.snapshot().seatCount(); seat < n && !broken; seat++)
        {
            final int playerId = frame.snapshot().seat(seat).playerId();
            for (int i = 0; i < viewCount; i++)
            {
                if (viewPlayerIds[i] == playerId)
                {
                    scratch.checkLimit(ID_LENGTH + JournalRecords.maxViewLength(viewLengths[i]));
                    send(JournalFormat.VIEW, JournalRecords.putView(scratch, ID_LENGTH, fileStartTick, playerId,
                        viewKeys[i], viewLengths[i]));
                }
            }
        }
        viewCount = 0;
    }

    public boolean wantsViews()
    {
        return !closed && !broken && fileStartTick >= 0 && lastTick - fileStartTick >= rotateTicks;
    }

    /**
     * Keeps the player's view while a rotation is due; the arrays are made at the first (cold), then grow only for
     * a larger view.
     */
    public void onView(final long tick, final int playerId, final long[] keys, final int count)
    {
        if (viewPlayerIds == null)
        {
            viewPlayerIds = new int[type.maxClients()];
            viewKeys = new long[type.maxClients()][];
            viewLengths = new int[type.maxClients()];
        }
        int index = 0;
        while (index < viewCount && viewPlayerIds[index] != playerId)
        {
            index++;
        }
        if (index == viewCount)
        {
            if (viewCount == viewPlayerIds.length)
            {
                return;
            }
            viewPlayerIds[viewCount++] = playerId;
        }
        if (viewKeys[index] == null || viewKeys[index].length < count)
        {
            viewKeys[index] = new long[Math.max(count, 64)];
        }
        System.arraycopy(keys, 0, viewKeys[index], 0, count);
        viewLengths[index] = count;
    }

    /**
     * Any thread.
     *
     * @return whether a record was lost: the journal's file will have no END.
     */
    boolean isBroken()
    {
        return broken;
    }

    public void onJoin(
        final long tickAfter, final int playerId, final Identity identity, final String name,
        final JoinOptions options)
    {
        if (ready())
        {
            send(JournalFormat.JOIN,
                JournalRecords.putJoin(scratch, ID_LENGTH, tickAfter, playerId, identity, name, type, options));
        }
    }

    public void onLeave(final long tickAfter, final int playerId, final LeaveReason reason)
    {
        if (ready())
        {
            send(JournalFormat.LEAVE, JournalRecords.putLeave(scratch, ID_LENGTH, tickAfter, playerId, reason));
        }
    }

    public void onInput(
        final long tick, final int playerId, final int inputSeq, final long viewTick, final int[] values,
        final int offset, final int count)
    {
        if (ready())
        {
            scratch.checkLimit(ID_LENGTH + JournalRecords.maxInputLength(count));
            send(JournalFormat.INPUT, JournalRecords.putInput(scratch, ID_LENGTH, tick, playerId, inputSeq, viewTick,
                values, offset, count));
        }
    }

    public void onMessage(
        final long tickAfter, final int playerId, final int typeId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        if (ready())
        {
            scratch.checkLimit(ID_LENGTH + JournalRecords.maxMessageLength(length));
            send(JournalFormat.MESSAGE, JournalRecords.putMessage(scratch, ID_LENGTH, tickAfter, playerId, typeId,
                buffer, offset, length));
        }
    }

    public void onTick(final long tick, final int worldChecksum)
    {
        lastTick = tick;
        if (ready())
        {
            send(JournalFormat.TICK, JournalRecords.putTick(scratch, ID_LENGTH, tick, worldChecksum));
        }
    }

    public void onFanOut(final long tick, final int count, final int[] playerIds, final int[] viewChecksums)
    {
        if (ready())
        {
            scratch.checkLimit(ID_LENGTH + JournalRecords.maxFanOutLength(count));
            send(JournalFormat.FANOUT, JournalRecords.putFanOut(scratch, ID_LENGTH, tick, count, playerIds,
                viewChecksums));
        }
    }

    public void onReplace(final long tickAfter, final int playerId)
    {
        if (ready())
        {
            send(JournalFormat.REPLACE, JournalRecords.putReplace(scratch, ID_LENGTH, tickAfter, playerId));
        }
    }

    public void onClose(final long tickAfter)
    {
        if (!broken && !closed)
        {
            send(CLOSE, VarInts.putVarLong(scratch, ID_LENGTH, tickAfter));
        }
        else
        {
            ready();
        }
        closed = true;
        writer.forget(room, journalId, this, !opened);
    }

    /**
     * @return true when the journal still records; a broken one retries telling the writer instead.
     */
    private boolean ready()
    {
        if (closed || fileStartTick < 0)
        {
            return false;
        }
        if (broken)
        {
            dropped.incrementAndGet();
            if (!brokenSent)
            {
                scratch.putInt(0, journalId);
                brokenSent = ring.write(BROKEN, scratch, 0, ID_LENGTH);
            }
            return false;
        }
        return true;
    }

    private void send(final int kind, final int end)
    {
        scratch.putInt(0, journalId);
        if (!ring.write(kind, scratch, 0, end))
        {
            broken = true;
            ready();
        }
    }
}
