package io.tickwire.sim.journal;

import io.tickwire.api.Identity;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.schema.InputSchema;

import java.util.Arrays;
import java.util.Map;

/**
 * One record read by {@link JournalReader}, reused from record to record: only the fields of its {@link #kind} are
 * meaningful. Not thread safe.
 */
public final class JournalRecord
{
    /** {@link JournalFormat} kind. */
    public int kind;
    /** Offset of the record's kind byte in the file. */
    public int offset;
    /** INPUT and TICK and FANOUT: the tick; JOIN, LEAVE, MESSAGE, REPLACE: the last tick run before it. */
    public long tick;
    public int playerId;
    /** LEAVE. */
    public LeaveReason reason;
    /** JOIN: the verified identity, or null. */
    public Identity identity;
    /** JOIN. */
    public String playerName;
    /** JOIN: the options given. */
    public Map<String, String> options;
    /** INPUT. */
    public int inputSeq;
    /** INPUT. */
    public long viewTick;
    /** INPUT: {@link #valueCount} values. */
    public final int[] values = new int[InputSchema.MAX_FIELDS];
    public int valueCount;
    /** MESSAGE. */
    public int typeId;
    /** MESSAGE: the field bytes are {@code fieldsLength} bytes at {@code fieldsOffset} of the file. */
    public int fieldsOffset;
    public int fieldsLength;
    /** TICK. */
    public int worldChecksum;
    /** FANOUT: {@link #fanOutCount} players and the checksums of their views; VIEW: the entity ids, ascending. */
    public int fanOutCount;
    public int[] fanOutPlayerIds = new int[16];
    public int[] fanOutChecksums = new int[16];

    void ensureFanOutCapacity(final int n)
    {
        if (fanOutPlayerIds.length < n)
        {
            fanOutPlayerIds = Arrays.copyOf(fanOutPlayerIds, n);
            fanOutChecksums = Arrays.copyOf(fanOutChecksums, n);
        }
    }

    public String toString()
    {
        return JournalFormat.kindName(kind) + " tick " + tick + (kind == JournalFormat.TICK ? "" :
            " player " + playerId) + " at offset " + offset;
    }
}
