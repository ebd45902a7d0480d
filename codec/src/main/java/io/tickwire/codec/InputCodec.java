package io.tickwire.codec;

import io.tickwire.api.schema.InputSchema;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes and decodes an INPUT message in the layout of a game's {@link InputSchema}:
 * <pre>
 *   type 0x02 | ack u32 | inputSeq u32 (not 0) | viewTick u32 | varint (value[i] - min[i]) for each field i
 * </pre>
 * Each varint must be at most {@code max[i] - min[i]}, and no byte may follow the last one. Allocation free; one
 * instance per thread per schema.
 */
public final class InputCodec
{
    private final InputSchema schema;
    private final int fieldCount;
    private final int maxLength;
    private final VarInts.Reader reader = new VarInts.Reader();

    public InputCodec(final InputSchema schema)
    {
        this.schema = schema;
        this.fieldCount = schema.fieldCount();
        int length = ClientMessageFlyweight.INPUT_VALUES_OFFSET;
        for (int i = 0; i < fieldCount; i++)
        {
            length += VarInts.lengthOf((long)schema.max(i) - schema.min(i));
        }
        this.maxLength = length;
    }

    public InputSchema schema()
    {
        return schema;
    }

    /**
     * @return the most bytes an input of this schema takes, header included.
     */
    public int maxLength()
    {
        return maxLength;
    }

    /**
     * Checks and reads the values of a received INPUT as hostile input.
     *
     * @param buffer holds a whole INPUT message (type, ack, inputSeq, viewTick, values) at {@code offset}.
     * @param length the message's length in bytes, as the frame gave it.
     * @param values receives the schema's field values at {@code 0..fieldCount); unspecified on an error.
     * @return {@link ClientMessageError#NONE}, or {@link ClientMessageError#BAD_INPUT} when the message is not an
     * input, is truncated, has an input sequence of 0, a value out of its range or bytes after the last value.
     */
    public ClientMessageError decode(final DirectBuffer buffer, final int offset, final int length, final int[] values)
    {
        if (length < ClientMessageFlyweight.INPUT_VALUES_OFFSET || length > maxLength ||
            buffer.getByte(offset) != WireFormat.TYPE_INPUT ||
            buffer.getInt(offset + ClientMessageFlyweight.INPUT_SEQ_OFFSET, WireFormat.BYTE_ORDER) == Sequence.NONE)
        {
            return ClientMessageError.BAD_INPUT;
        }

        reader.wrap(buffer, offset + ClientMessageFlyweight.INPUT_VALUES_OFFSET,
            length - ClientMessageFlyweight.INPUT_VALUES_OFFSET);
        for (int i = 0; i < fieldCount; i++)
        {
            values[i] = reader.rangedInt(schema.min(i), schema.max(i));
        }
        return reader.isValid() && reader.remaining() == 0 ? ClientMessageError.NONE : ClientMessageError.BAD_INPUT;
    }

    /**
     * Writes a whole INPUT message.
     *
     * @param values the schema's field values at {@code 0..fieldCount)}, each within its field's range.
     * @return the message's length in bytes, at most {@link #maxLength()}.
     * @throws IllegalArgumentException when a value is out of its field's range or {@code inputSeq} is 0: our own
     *                                  write, so a bug of the caller.
     */
    public int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int ack,
        final int inputSeq,
        final int viewTick,
        final int[] values)
    {
        if (inputSeq == Sequence.NONE)
        {
            throw new IllegalArgumentException("an input sequence is never 0");
        }
        for (int i = 0; i < fieldCount; i++)
        {
            if (values[i] < schema.min(i) || values[i] > schema.max(i))
            {
                throw new IllegalArgumentException(
                    "input field " + schema.field(i).name() + " out of range: " + values[i]);
            }
        }

        buffer.putByte(offset, WireFormat.TYPE_INPUT);
        buffer.putInt(offset + ClientMessageFlyweight.ACK_OFFSET, ack, WireFormat.BYTE_ORDER);
        buffer.putInt(offset + ClientMessageFlyweight.INPUT_SEQ_OFFSET, inputSeq, WireFormat.BYTE_ORDER);
        buffer.putInt(offset + ClientMessageFlyweight.VIEW_TICK_OFFSET, viewTick, WireFormat.BYTE_ORDER);
        int position = offset + ClientMessageFlyweight.INPUT_VALUES_OFFSET;
        for (int i = 0; i < fieldCount; i++)
        {
            position = VarInts.putVarLong(buffer, position, (long)values[i] - schema.min(i));
        }
        return position - offset;
    }
}
