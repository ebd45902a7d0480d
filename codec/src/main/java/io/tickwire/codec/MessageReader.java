package io.tickwire.codec;

import io.tickwire.api.Message;
import io.tickwire.api.schema.FieldType;
import io.tickwire.api.schema.MessageType;
import org.agrona.DirectBuffer;

/**
 * A flyweight over the fields of a game message that {@link MessageCodec} has validated: {@link #wrap} walks the
 * fields once and records each one's value or offset, so every accessor is a lookup. Allocation free except
 * {@link #getText}; re-pointed per message, one instance per thread.
 */
public final class MessageReader implements Message
{
    private final VarInts.Reader reader = new VarInts.Reader();
    private final int[] values = new int[MessageType.MAX_FIELDS];
    private final int[] starts = new int[MessageType.MAX_FIELDS];
    private MessageType type;
    private DirectBuffer buffer;

    /**
     * Points the reader at a message's fields.
     *
     * @param fieldsOffset absolute offset of the first field ({@link MessageCodec#fieldsOffset()}).
     * @param fieldsLength bytes from there to the end of the message ({@link MessageCodec#fieldsLength()}).
     * @throws IllegalArgumentException when the bytes are not valid fields of {@code type}: they were not
     *                                  validated first.
     */
    public MessageReader wrap(
        final MessageType type, final DirectBuffer buffer, final int fieldsOffset, final int fieldsLength)
    {
        reader.wrap(buffer, fieldsOffset, fieldsLength);
        if (!MessageFields.read(type, reader, values, starts) || reader.remaining() != 0)
        {
            this.type = null;
            throw new IllegalArgumentException("not a validated message of type " + type.name());
        }
        this.type = type;
        this.buffer = buffer;
        return this;
    }

    public MessageType type()
    {
        return type;
    }

    public int getInt(final int field)
    {
        requireNumeric(field, true);
        return values[field];
    }

    public String getText(final int field)
    {
        if (type.field(field).type() != FieldType.TEXT)
        {
            throw new IllegalArgumentException("field " + field + " of " + type.name() + " is not text");
        }
        return buffer.getStringWithoutLengthUtf8(starts[field], values[field]);
    }

    public int length(final int field)
    {
        requireNumeric(field, false);
        return values[field];
    }

    public void getBytes(final int field, final byte[] target, final int offset)
    {
        requireNumeric(field, false);
        buffer.getBytes(starts[field], target, offset, values[field]);
    }

    private void requireNumeric(final int field, final boolean numeric)
    {
        if (type.field(field).type().isNumeric() != numeric)
        {
            throw new IllegalArgumentException(
                "field " + field + " of " + type.name() + (numeric ? " is not numeric" : " is numeric"));
        }
    }
}
