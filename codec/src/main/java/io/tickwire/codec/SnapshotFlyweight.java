package io.tickwire.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.tickwire.codec.WireFormat.BYTE_ORDER;

/**
 * Flyweight over a full snapshot: a fixed header followed by {@code entityCount} fixed-size entity records in
 * ascending entity id order.
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
 *   |  ... input    |      entity count (u16)       |  entities ... |
 *   +---------------+-------------------------------+---------------+
 *
 *   entity record, 10 bytes:
 *   +-------------------------------+---------------+---------------+
 *   |        entity id (u32)        |  kind (u8)    |   hp (u8)     |
 *   +---------------+---------------+---------------+---------------+
 *   |   x (u16, fixed point)        |   y (u16, fixed point)        |
 *   +-------------------------------+-------------------------------+
 * </pre>
 * Not thread safe: one instance per thread.
 */
public final class SnapshotFlyweight
{
    public static final int TYPE_OFFSET = 0;
    public static final int FLAGS_OFFSET = 1;
    public static final int TICK_OFFSET = 2;
    public static final int SNAPSHOT_SEQ_OFFSET = 6;
    public static final int BASELINE_SEQ_OFFSET = 10;
    public static final int LAST_INPUT_SEQ_OFFSET = 14;
    public static final int ENTITY_COUNT_OFFSET = 18;
    public static final int HEADER_LENGTH = 20;

    public static final int ENTITY_ID_OFFSET = 0;
    public static final int ENTITY_KIND_OFFSET = 4;
    public static final int ENTITY_HP_OFFSET = 5;
    public static final int ENTITY_X_OFFSET = 6;
    public static final int ENTITY_Y_OFFSET = 8;
    public static final int ENTITY_LENGTH = 10;

    /** Most entities one snapshot can carry. */
    public static final int MAX_ENTITIES = 0xFFFF;

    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;
    private int length;

    public SnapshotFlyweight wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.mutableBuffer = buffer instanceof MutableDirectBuffer ? (MutableDirectBuffer)buffer : null;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * @return the length of a snapshot of {@code entityCount} entities, in bytes.
     */
    public static int encodedLength(final int entityCount)
    {
        return HEADER_LENGTH + entityCount * ENTITY_LENGTH;
    }

    /**
     * Checks wrapped bytes received from the network before any accessor is used.
     *
     * @return true when the type is a snapshot, the length matches the entity count, and ids ascend strictly.
     */
    public boolean isValid()
    {
        if (length < HEADER_LENGTH || buffer.getByte(offset + TYPE_OFFSET) != WireFormat.TYPE_SNAPSHOT)
        {
            return false;
        }

        final int count = entityCount();
        if (length != encodedLength(count))
        {
            return false;
        }

        long previousId = -1;
        for (int i = 0; i < count; i++)
        {
            final long id = entityId(i) & 0xFFFF_FFFFL;
            if (id <= previousId)
            {
                return false;
            }
            previousId = id;
        }

        return true;
    }

    public SnapshotFlyweight header(
        final int tick, final int snapshotSeq, final int baselineSeq, final int lastInputSeq, final int entityCount)
    {
        mutableBuffer.putByte(offset + TYPE_OFFSET, WireFormat.TYPE_SNAPSHOT);
        mutableBuffer.putByte(offset + FLAGS_OFFSET, (byte)0);
        mutableBuffer.putInt(offset + TICK_OFFSET, tick, BYTE_ORDER);
        mutableBuffer.putInt(offset + SNAPSHOT_SEQ_OFFSET, snapshotSeq, BYTE_ORDER);
        mutableBuffer.putInt(offset + BASELINE_SEQ_OFFSET, baselineSeq, BYTE_ORDER);
        mutableBuffer.putInt(offset + LAST_INPUT_SEQ_OFFSET, lastInputSeq, BYTE_ORDER);
        mutableBuffer.putShort(offset + ENTITY_COUNT_OFFSET, (short)entityCount, BYTE_ORDER);
        return this;
    }

    public SnapshotFlyweight entity(
        final int index, final int entityId, final int kind, final int hp, final int x, final int y)
    {
        final int at = offset + HEADER_LENGTH + index * ENTITY_LENGTH;
        mutableBuffer.putInt(at + ENTITY_ID_OFFSET, entityId, BYTE_ORDER);
        mutableBuffer.putByte(at + ENTITY_KIND_OFFSET, (byte)kind);
        mutableBuffer.putByte(at + ENTITY_HP_OFFSET, (byte)hp);
        mutableBuffer.putShort(at + ENTITY_X_OFFSET, (short)x, BYTE_ORDER);
        mutableBuffer.putShort(at + ENTITY_Y_OFFSET, (short)y, BYTE_ORDER);
        return this;
    }

    public int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
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

    public int entityCount()
    {
        return buffer.getShort(offset + ENTITY_COUNT_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public int entityId(final int index)
    {
        return buffer.getInt(entityOffset(index) + ENTITY_ID_OFFSET, BYTE_ORDER);
    }

    public int kind(final int index)
    {
        return buffer.getByte(entityOffset(index) + ENTITY_KIND_OFFSET) & 0xFF;
    }

    public int hp(final int index)
    {
        return buffer.getByte(entityOffset(index) + ENTITY_HP_OFFSET) & 0xFF;
    }

    public int x(final int index)
    {
        return buffer.getShort(entityOffset(index) + ENTITY_X_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public int y(final int index)
    {
        return buffer.getShort(entityOffset(index) + ENTITY_Y_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    private int entityOffset(final int index)
    {
        return offset + HEADER_LENGTH + index * ENTITY_LENGTH;
    }
}
