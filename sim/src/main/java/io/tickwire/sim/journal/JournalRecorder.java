package io.tickwire.sim.journal;

import io.tickwire.api.GameType;
import io.tickwire.api.Identity;
import io.tickwire.api.JoinOption;
import io.tickwire.api.JoinOptions;
import io.tickwire.api.LeaveReason;
import io.tickwire.codec.VarInts;
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
 *     CREATE      var optionCount, (text k, text v)*        (a new room's create options)
 *     CLOSE       var tickAfter                             (the room was disposed: END)
 *     BROKEN      -                                         (records were lost: no END)
 * </pre>
 */
final class JournalRecorder implements RoomJournal
{
    static final int OPEN = 64;
    static final int CREATE = 65;
    static final int CLOSE = 66;
    static final int BROKEN = 67;
    static final int ID_LENGTH = 4;

    private final RingBuffer ring;
    private final int journalId;
    private final GameType type;
    private final AtomicLong dropped;
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(1024);
    private boolean broken;
    private boolean brokenSent;
    private boolean closed;

    JournalRecorder(
        final RingBuffer ring, final int journalId, final GameType type, final String room, final long startTick,
        final AtomicLong dropped)
    {
        this.ring = ring;
        this.journalId = journalId;
        this.type = type;
        this.dropped = dropped;
        int at = VarInts.putVarLong(scratch, ID_LENGTH, startTick);
        at = JournalRecords.putText(scratch, at, room);
        at = JournalRecords.putText(scratch, at, type.name());
        send(OPEN, at);
    }

    /**
     * @return whether a record was lost: the journal's file will have no END.
     */
    boolean isBroken()
    {
        return broken;
    }

    public void onCreate(final JoinOptions options)
    {
        if (ready())
        {
            int given = 0;
            for (final JoinOption option : type.joinOptions())
            {
                given += options.isGiven(option.name()) ? 1 : 0;
            }
            int at = VarInts.putVarLong(scratch, ID_LENGTH, given);
            for (final JoinOption option : type.joinOptions())
            {
                if (options.isGiven(option.name()))
                {
                    at = JournalRecords.putText(scratch, at, option.name());
                    at = JournalRecords.putText(scratch, at, options.text(option.name()));
                }
            }
            send(CREATE, at);
        }
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
    }

    /**
     * @return true when the journal still records; a broken one retries telling the writer instead.
     */
    private boolean ready()
    {
        if (closed)
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
