package io.tickwire.codec;

import io.tickwire.api.schema.EntitySchema;
import org.agrona.MutableDirectBuffer;

/**
 * Writes one client's snapshot: the header, then one operation per entity that entered, changed or left the
 * client's view since the baseline, in ascending id order, then the checksum of the view.
 * <pre>
 *   op     := key:varint body
 *   key    := (idGap << 2) | kind        idGap = id - previousId - 1, previousId starts at -1
 *   kind 0 UPDATE: mask:varint, then for each set bit i ascending: zigzag varint (value[i] - predicted[i])
 *   kind 1 ENTER:  for each field i: varint (value[i] - min[i])
 *   kind 2 REMOVE: nothing
 *   predicted[i] = baseline[i] + baseline[predictor(i)] * (tick - baselineTick), or baseline[i] with no predictor,
 *                  computed in 64 bits and never clamped: the residual is value[i] - predicted[i]
 * </pre>
 * An entity in view whose every field equals its prediction costs zero bytes. The caller merge-walks the
 * baseline and the current view in id order and calls {@link #enter}, {@link #update} or {@link #remove} for each
 * id; {@link #update} decides whether anything is written. Allocation free; one instance per thread.
 */
public final class SnapshotEncoder
{
    public static final int OP_UPDATE = 0;
    public static final int OP_ENTER = 1;
    public static final int OP_REMOVE = 2;

    private final EntitySchema schema;
    private final int fieldCount;
    private final SnapshotHeaderFlyweight header = new SnapshotHeaderFlyweight();
    private final SnapshotHeaderFlyweight sharedHeader = new SnapshotHeaderFlyweight();
    private final ViewChecksum checksum = new ViewChecksum();
    private MutableDirectBuffer buffer;
    private int start;
    private int position;
    private int opCount;
    private long previousId;
    private long deltaTicks;
    private boolean withChecksum;

    public SnapshotEncoder(final EntitySchema schema)
    {
        this.schema = schema;
        this.fieldCount = schema.fieldCount();
    }

    /**
     * @return the most bytes a snapshot with {@code ops} operations can take.
     */
    public static int maxLength(final EntitySchema schema, final int ops)
    {
        return SnapshotHeaderFlyweight.LENGTH + SnapshotHeaderFlyweight.MESSAGE_ACK_LENGTH +
            ops * (VarInts.MAX_LENGTH * (2 + schema.fieldCount())) + SnapshotHeaderFlyweight.CHECKSUM_LENGTH;
    }

    /**
     * Starts a snapshot at {@code offset}; the buffer must hold {@link #maxLength} for the operations to come.
     *
     * @param baselineSeq  the client's acknowledged snapshot this one is a delta of, or {@link Sequence#NONE} for
     *                     a full snapshot (every entity in view is then an enter).
     * @param baselineTick the tick of that baseline; ignored for a full snapshot.
     * @param lastInputSeq the client's newest input applied to the world, {@link Sequence#NONE} for none.
     * @param withChecksum whether a view checksum ends the snapshot (flags bit 0).
     * @param messageAck   the newest client MESSAGE sequence the server accepted, carried after the header (flags
     *                     bit 1); {@link Sequence#NONE} for none.
     */
    public void begin(
        final MutableDirectBuffer buffer,
        final int offset,
        final int tick,
        final int snapshotSeq,
        final int baselineSeq,
        final int baselineTick,
        final int lastInputSeq,
        final boolean withChecksum,
        final int messageAck)
    {
        this.buffer = buffer;
        this.start = offset;
        this.position = offset + putHeader(header, buffer, offset, tick, snapshotSeq, baselineSeq, lastInputSeq,
            withChecksum, messageAck, 0);
        this.opCount = 0;
        this.previousId = -1;
        this.deltaTicks = baselineSeq == Sequence.NONE ? 0 : tick - baselineTick;
        this.withChecksum = withChecksum;
        checksum.reset();
    }

    /**
     * Writes only the header of a snapshot whose operations and checksum were encoded for another client (a shared
     * body): the bytes equal those {@link #begin} and {@link #finish} write for the same arguments and operations.
     *
     * @param opCount the operations of the shared body, {@link #opCount()} of its encoding.
     * @return the header's length: {@link SnapshotHeaderFlyweight#LENGTH}, plus the message ack's when it carries one.
     */
    public int putHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int tick,
        final int snapshotSeq,
        final int baselineSeq,
        final int lastInputSeq,
        final boolean withChecksum,
        final int messageAck,
        final int opCount)
    {
        return putHeader(sharedHeader, buffer, offset, tick, snapshotSeq, baselineSeq, lastInputSeq, withChecksum,
            messageAck, opCount);
    }

    /**
     * @return the operations written since {@link #begin}.
     */
    public int opCount()
    {
        return opCount;
    }

    private static int putHeader(
        final SnapshotHeaderFlyweight header,
        final MutableDirectBuffer buffer,
        final int offset,
        final int tick,
        final int snapshotSeq,
        final int baselineSeq,
        final int lastInputSeq,
        final boolean withChecksum,
        final int messageAck,
        final int opCount)
    {
        final boolean withMessageAck = messageAck != Sequence.NONE;
        final int flags = (withChecksum ? SnapshotHeaderFlyweight.FLAG_CHECKSUM : 0) |
            (withMessageAck ? SnapshotHeaderFlyweight.FLAG_MESSAGE_ACK : 0);
        header.wrap(buffer, offset).header(flags, tick, snapshotSeq, baselineSeq, lastInputSeq).opCount(opCount);
        if (withMessageAck)
        {
            header.messageAck(messageAck);
            return SnapshotHeaderFlyweight.LENGTH + SnapshotHeaderFlyweight.MESSAGE_ACK_LENGTH;
        }
        return SnapshotHeaderFlyweight.LENGTH;
    }

    /**
     * An entity that is in view now but not in the baseline: sent whole.
     */
    public void enter(final int id, final int[] values, final int offset)
    {
        putKey(id, OP_ENTER);
        for (int i = 0; i < fieldCount; i++)
        {
            position = VarInts.putVarLong(buffer, position, (long)values[offset + i] - schema.min(i));
        }
        checksum.addEntity(id, values, offset, fieldCount);
    }

    /**
     * An entity in view now and in the baseline: its fields that differ from their prediction are written, or
     * nothing when none differs.
     *
     * @return true when an operation was written.
     */
    public boolean update(
        final int id, final int[] current, final int currentOffset, final int[] baseline, final int baselineOffset)
    {
        checksum.addEntity(id, current, currentOffset, fieldCount);
        int mask = 0;
        for (int i = 0; i < fieldCount; i++)
        {
            if (current[currentOffset + i] != predict(baseline, baselineOffset, i))
            {
                mask |= 1 << i;
            }
        }
        if (mask == 0)
        {
            return false;
        }

        putKey(id, OP_UPDATE);
        position = VarInts.putVarLong(buffer, position, mask & 0xFFFF_FFFFL);
        for (int i = 0; i < fieldCount; i++)
        {
            if ((mask & (1 << i)) != 0)
            {
                final long residual = current[currentOffset + i] - predict(baseline, baselineOffset, i);
                position = VarInts.putVarLong(buffer, position, VarInts.zigzag(residual));
            }
        }
        return true;
    }

    /**
     * An entity in the baseline that is no longer in view, or no longer exists.
     */
    public void remove(final int id)
    {
        putKey(id, OP_REMOVE);
    }

    /**
     * Ends the snapshot.
     *
     * @return its length in bytes from {@code offset}.
     */
    public int finish()
    {
        header.opCount(opCount);
        if (withChecksum)
        {
            buffer.putInt(position, checksum.value(), WireFormat.BYTE_ORDER);
            position += SnapshotHeaderFlyweight.CHECKSUM_LENGTH;
        }
        return position - start;
    }

    /**
     * @return the checksum of the view this snapshot produces, valid after the last operation.
     */
    public int viewChecksum()
    {
        return checksum.value();
    }

    private long predict(final int[] baseline, final int baselineOffset, final int field)
    {
        final int predictor = schema.predictor(field);
        final long base = baseline[baselineOffset + field];
        return predictor < 0 ? base : base + baseline[baselineOffset + predictor] * deltaTicks;
    }

    private void putKey(final int id, final int kind)
    {
        if (id <= previousId || id < 0)
        {
            throw new IllegalStateException("entity ids must ascend: " + id + " after " + previousId);
        }
        if (opCount == SnapshotHeaderFlyweight.MAX_OPS)
        {
            throw new IllegalStateException("too many operations in one snapshot");
        }
        position = VarInts.putVarLong(buffer, position, ((id - previousId - 1) << 2) | kind);
        previousId = id;
        opCount++;
    }
}
