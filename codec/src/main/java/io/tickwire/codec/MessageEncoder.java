package io.tickwire.codec;

import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldType;
import io.tickwire.api.schema.MessageType;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds one game message and writes it as a room MESSAGE (0x45) or a client MESSAGE (0x05):
 * <pre>
 *   room MESSAGE    0x45 | stream seq u32                  | messageType varint | fields (see MessageFields)
 *   client MESSAGE  0x05 | ack u32        | messageSeq u32 | messageType varint | fields
 * </pre>
 * {@link #begin} sets every field to its minimum (numeric) or empty (text, bytes); the {@code put} methods check
 * each value against the schema as it is given, and text is encoded to UTF-8 char by char into a staging area
 * sized for the largest message, so building and writing allocate nothing. The stream sequence sits at offset 1 of a
 * room message: encode once, then {@link #patchSeq} per recipient. Not thread safe; reusable.
 */
public final class MessageEncoder
{
    private final UnsafeBuffer staging = new UnsafeBuffer(new byte[MessageType.MAX_ROOM_FIELDS_LENGTH]);
    private final int[] values = new int[MessageType.MAX_FIELDS];
    private final int[] slots = new int[MessageType.MAX_FIELDS];
    private MessageType type;

    /**
     * Starts a message of {@code type}.
     */
    public MessageEncoder begin(final MessageType type)
    {
        int slot = 0;
        for (int i = 0, n = type.fieldCount(); i < n; i++)
        {
            final FieldDef field = type.field(i);
            if (field.type().isNumeric())
            {
                values[i] = field.min();
            }
            else
            {
                values[i] = 0;
                slots[i] = slot;
                slot += field.max();
            }
        }
        this.type = type;
        return this;
    }

    /**
     * @return the type of the message being built, or null before {@link #begin}.
     */
    public MessageType type()
    {
        return type;
    }

    /**
     * @throws IllegalArgumentException when the field is not numeric or the value is out of its range.
     */
    public MessageEncoder putInt(final int field, final int value)
    {
        final FieldDef def = requireField(field);
        if (!def.type().isNumeric() || value < def.min() || value > def.max())
        {
            throw new IllegalArgumentException(
                "field " + def.name() + " of " + type.name() + ": not numeric, or " + value + " out of range");
        }
        values[field] = value;
        return this;
    }

    /**
     * @throws IllegalArgumentException when the field is not text, the text holds control characters or an
     *                                  unpaired surrogate, or its UTF-8 is longer than the field's maximum.
     */
    public MessageEncoder putText(final int field, final CharSequence text)
    {
        final FieldDef def = requireKind(field, FieldType.TEXT);
        values[field] = Utf8.checkedLength(text, 0, def.max());
        Utf8.put(staging, slots[field], text);
        return this;
    }

    /**
     * @throws IllegalArgumentException when the field is not bytes, {@code length} exceeds its maximum, or the
     *                                  range is not within {@code source}.
     */
    public MessageEncoder putBytes(final int field, final byte[] source, final int offset, final int length)
    {
        final FieldDef def = requireKind(field, FieldType.BYTES);
        if (length < 0 || length > def.max() || offset < 0 || offset > source.length - length)
        {
            throw new IllegalArgumentException(
                "field " + def.name() + " of " + type.name() + ": bad length " + length + " or offset " + offset);
        }
        staging.putBytes(slots[field], source, offset, length);
        values[field] = length;
        return this;
    }

    /**
     * @return the length of the room MESSAGE {@link #encodeRoomMessage} writes for the message built so far.
     */
    public int roomMessageLength()
    {
        return WireFormat.STREAM_HEADER_LENGTH + bodyLength();
    }

    /**
     * @return the length of the client MESSAGE {@link #encodeClientMessage} writes for the message built so far.
     */
    public int clientMessageLength()
    {
        return ClientMessageFlyweight.MESSAGE_TYPE_OFFSET + bodyLength();
    }

    /**
     * Writes the message as a room MESSAGE (0x45).
     *
     * @param seq the recipient's stream sequence; {@link #patchSeq} changes it afterwards.
     * @return the length written, {@link #roomMessageLength()}.
     */
    public int encodeRoomMessage(final MutableDirectBuffer buffer, final int offset, final int seq)
    {
        buffer.putByte(offset, WireFormat.TYPE_ROOM_MESSAGE);
        patchSeq(buffer, offset, seq);
        return putBody(buffer, offset + WireFormat.STREAM_HEADER_LENGTH) - offset;
    }

    /**
     * Writes the message as a client MESSAGE (0x05). The direction is not checked here, so tests can send what a
     * hostile client would: the server refuses a type only the room may send.
     *
     * @param ack        the sequence of the newest snapshot the client applied.
     * @param messageSeq the client's message sequence: 1 for its first message, then one more each.
     * @return the length written, {@link #clientMessageLength()}.
     */
    public int encodeClientMessage(
        final MutableDirectBuffer buffer, final int offset, final int ack, final int messageSeq)
    {
        buffer.putByte(offset, WireFormat.TYPE_MESSAGE);
        buffer.putInt(offset + ClientMessageFlyweight.ACK_OFFSET, ack, WireFormat.BYTE_ORDER);
        buffer.putInt(offset + ClientMessageFlyweight.MESSAGE_SEQ_OFFSET, messageSeq, WireFormat.BYTE_ORDER);
        return putBody(buffer, offset + ClientMessageFlyweight.MESSAGE_TYPE_OFFSET) - offset;
    }

    /**
     * Writes the stream sequence of a room MESSAGE or a PRESENCE that starts at {@code offset}.
     */
    public static void patchSeq(final MutableDirectBuffer buffer, final int offset, final int seq)
    {
        buffer.putInt(offset + WireFormat.STREAM_SEQ_OFFSET, seq, WireFormat.BYTE_ORDER);
    }

    private int bodyLength()
    {
        requireStarted();
        int length = VarInts.lengthOf(type.id());
        for (int i = 0, n = type.fieldCount(); i < n; i++)
        {
            final FieldDef field = type.field(i);
            length += field.type().isNumeric() ?
                VarInts.lengthOf((long)values[i] - field.min()) : VarInts.lengthOf(values[i]) + values[i];
        }
        return length;
    }

    private int putBody(final MutableDirectBuffer buffer, final int index)
    {
        requireStarted();
        int position = VarInts.putVarLong(buffer, index, type.id());
        for (int i = 0, n = type.fieldCount(); i < n; i++)
        {
            final FieldDef field = type.field(i);
            if (field.type().isNumeric())
            {
                position = VarInts.putVarLong(buffer, position, (long)values[i] - field.min());
            }
            else
            {
                position = VarInts.putVarLong(buffer, position, values[i]);
                buffer.putBytes(position, staging, slots[i], values[i]);
                position += values[i];
            }
        }
        return position;
    }

    private FieldDef requireKind(final int field, final FieldType kind)
    {
        final FieldDef def = requireField(field);
        if (def.type() != kind)
        {
            throw new IllegalArgumentException("field " + def.name() + " of " + type.name() + " is not " + kind);
        }
        return def;
    }

    private FieldDef requireField(final int field)
    {
        requireStarted();
        if (field < 0 || field >= type.fieldCount())
        {
            throw new IllegalArgumentException("message type " + type.name() + " has no field " + field);
        }
        return type.field(field);
    }

    private void requireStarted()
    {
        if (type == null)
        {
            throw new IllegalStateException("begin a message first");
        }
    }
}
