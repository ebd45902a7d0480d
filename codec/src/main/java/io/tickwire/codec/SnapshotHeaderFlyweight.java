package io.tickwire.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.tickwire.codec.WireFormat.BYTE_ORDER;

/**
 * Flyweight over the fixed header of a snapshot; the entity operations follow it (see {@link SnapshotEncoder}), after
 * the optional message ack.
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------+---------------+-------------------------------+
 *   |  type (0x42)  |  flags (u8)   |        server tick (u32) ...  |
 *   +---------------+---------------+-------------------------------+
 *   |  ... tick     |         snapshot sequence (u32) ...           |
 *   +---------------+-----------------------------------------------+
 *   |  ... seq      |   baseline sequence (u32, 0 = full) ...       |
 *   +---------------+-----------------------------------------------+
 *   |  ... base     |   last applied input sequence (u32) ...       |
 *   +---------------+-------------------------------+---------------+
 *   |  ... input    |   operation count (u16)       |  ops ...      |
 *   +---------------+-------------------------------+---------------+
 *   flags: bit 0 = a u32 view checksum ends the message
 * </pre>
 */
public final class SnapshotHeaderFlyweight
{
    public static final int TYPE_OFFSET = 0;
    public static final int FLAGS_OFFSET = 1;
    public static final int TICK_OFFSET = 2;
    public static final int SNAPSHOT_SEQ_OFFSET = 6;
    public static final int BASELINE_SEQ_OFFSET = 10;
    public static final int LAST_INPUT_SEQ_OFFSET = 14;
    public static final int OP_COUNT_OFFSET = 18;
    public static final int LENGTH = 20;

    public static final int FLAG_CHECKSUM = 0x01;
    public static final int CHECKSUM_LENGTH = 4;

    public static final int FLAG_MESSAGE_ACK = 0x02;
    public static final int MESSAGE_ACK_OFFSET = LENGTH;
    public static final int MESSAGE_ACK_LENGTH = 4;

    /** Every flag this version defines; any other bit set makes a snapshot malformed. */
    public static final int KNOWN_FLAGS = FLAG_CHECKSUM | FLAG_MESSAGE_ACK;

    /** Most operations one snapshot can carry. */
    public static final int MAX_OPS = 0xFFFF;

    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;

    public SnapshotHeaderFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutableBuffer = buffer instanceof MutableDirectBuffer ? (MutableDirectBuffer)buffer : null;
        this.offset = offset;
        return this;
    }

    public SnapshotHeaderFlyweight header(
        final int flags, final int tick, final int snapshotSeq, final int baselineSeq, final int lastInputSeq)
    {
        mutableBuffer.putByte(offset + TYPE_OFFSET, WireFormat.TYPE_SNAPSHOT);
        mutableBuffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        mutableBuffer.putInt(offset + TICK_OFFSET, tick, BYTE_ORDER);
        mutableBuffer.putInt(offset + SNAPSHOT_SEQ_OFFSET, snapshotSeq, BYTE_ORDER);
        mutableBuffer.putInt(offset + BASELINE_SEQ_OFFSET, baselineSeq, BYTE_ORDER);
        mutableBuffer.putInt(offset + LAST_INPUT_SEQ_OFFSET, lastInputSeq, BYTE_ORDER);
        mutableBuffer.putShort(offset + OP_COUNT_OFFSET, (short)0, BYTE_ORDER);
        return this;
    }

    /**
     * Writes the message ack after the header; the caller sets {@link #FLAG_MESSAGE_ACK}.
     */
    public SnapshotHeaderFlyweight messageAck(final int messageAck)
    {
        mutableBuffer.putInt(offset + MESSAGE_ACK_OFFSET, messageAck, BYTE_ORDER);
        return this;
    }

    public SnapshotHeaderFlyweight opCount(final int opCount)
    {
        mutableBuffer.putShort(offset + OP_COUNT_OFFSET, (short)opCount, BYTE_ORDER);
        return this;
    }

    public int type()
    {
        return buffer.getByte(offset + TYPE_OFFSET);
    }

    public int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    public boolean hasChecksum()
    {
        return (flags() & FLAG_CHECKSUM) != 0;
    }

    public boolean hasMessageAck()
    {
        return (flags() & FLAG_MESSAGE_ACK) != 0;
    }

    /**
     * @return the newest client MESSAGE sequence the server accepted, or {@link Sequence#NONE} when the snapshot
     * carries none (flags bit 1 clear).
     */
    public int messageAck()
    {
        return hasMessageAck() ? buffer.getInt(offset + MESSAGE_ACK_OFFSET, BYTE_ORDER) : Sequence.NONE;
    }

    /**
     * @return the offset of the first operation from the start of the message: 20, or 24 with a message ack.
     */
    public int opsOffset()
    {
        return hasMessageAck() ? LENGTH + MESSAGE_ACK_LENGTH : LENGTH;
    }

    public int tick()
    {
        return buffer.getInt(offset + TICK_OFFSET, BYTE_ORDER);
    }

    public int snapshotSeq()
    {
        return buffer.getInt(offset + SNAPSHOT_SEQ_OFFSET, BYTE_ORDER);
    }

    public int baselineSeq()
    {
        return buffer.getInt(offset + BASELINE_SEQ_OFFSET, BYTE_ORDER);
    }

    public int lastInputSeq()
    {
        return buffer.getInt(offset + LAST_INPUT_SEQ_OFFSET, BYTE_ORDER);
    }

    public int opCount()
    {
        return buffer.getShort(offset + OP_COUNT_OFFSET, BYTE_ORDER) & 0xFFFF;
    }
}
