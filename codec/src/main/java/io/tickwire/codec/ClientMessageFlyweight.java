package io.tickwire.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.tickwire.codec.WireFormat.BYTE_ORDER;

/**
 * Flyweight over a client message: the common header and the fixed part of each body. The variable parts (input
 * values, message fields, a join) are checked and read by {@link InputCodec}, {@link MessageCodec} and
 * {@link io.tickwire.codec.control.ControlCodec}.
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------+-----------------------------------------------+
 *   |     type      |              ack (u32 LE) ...                 |
 *   +---------------+---------------+-------------------------------+
 *   | ... ack       |  body ...
 *   +---------------+
 *
 *   INPUT   0x02  inputSeq u32 @5 (not 0) | viewTick u32 @9 | values: varint (value - min) per field @13 ...
 *   LEAVE   0x03  nothing                                                  (exactly 5 bytes)
 *   PING    0x04  timestamp u64 @5                                         (exactly 13 bytes)
 *   MESSAGE 0x05  messageSeq u32 @5 | messageType varint @9 | fields ...   (at least 10 bytes)
 *   ACK     0x06  messageAck u32 @5                                        (exactly 9 bytes)
 *   JOIN    0x01  body @5 ...                                              (more than 5 bytes)
 * </pre>
 * Not thread safe: one instance per thread, re-pointed with {@link #wrap(DirectBuffer, int, int)} per message.
 */
public final class ClientMessageFlyweight
{
    public static final int TYPE_OFFSET = 0;
    public static final int ACK_OFFSET = 1;

    public static final int INPUT_SEQ_OFFSET = WireFormat.CLIENT_HEADER_LENGTH;
    public static final int VIEW_TICK_OFFSET = INPUT_SEQ_OFFSET + 4;

    /** Offset of an input's first value; also the shortest input (a schema with no fields). */
    public static final int INPUT_VALUES_OFFSET = VIEW_TICK_OFFSET + 4;

    /** Exact length of a leave message. */
    public static final int LEAVE_LENGTH = WireFormat.CLIENT_HEADER_LENGTH;

    /** Offset of a ping's timestamp, an opaque u64 the server echoes. */
    public static final int PING_TIMESTAMP_OFFSET = WireFormat.CLIENT_HEADER_LENGTH;

    /** Exact length of a ping message. */
    public static final int PING_LENGTH = PING_TIMESTAMP_OFFSET + 8;

    public static final int MESSAGE_SEQ_OFFSET = WireFormat.CLIENT_HEADER_LENGTH;

    /** Offset of a message's type id, a varint; its fields follow it. */
    public static final int MESSAGE_TYPE_OFFSET = MESSAGE_SEQ_OFFSET + 4;

    /** Shortest message: a one-byte type id and no fields. */
    public static final int MESSAGE_MIN_LENGTH = MESSAGE_TYPE_OFFSET + 1;

    public static final int MESSAGE_ACK_OFFSET = WireFormat.CLIENT_HEADER_LENGTH;

    /** Exact length of an ack message. */
    public static final int ACK_LENGTH = MESSAGE_ACK_OFFSET + 4;

    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;
    private int length;

    public ClientMessageFlyweight wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.mutableBuffer = buffer instanceof MutableDirectBuffer ? (MutableDirectBuffer)buffer : null;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    public int length()
    {
        return length;
    }

    public byte type()
    {
        return buffer.getByte(offset + TYPE_OFFSET);
    }

    public ClientMessageFlyweight type(final byte type)
    {
        mutableBuffer.putByte(offset + TYPE_OFFSET, type);
        return this;
    }

    /**
     * @return the sequence of the newest snapshot the client applied; {@link Sequence#NONE} before the first.
     */
    public int ack()
    {
        return buffer.getInt(offset + ACK_OFFSET, BYTE_ORDER);
    }

    public ClientMessageFlyweight ack(final int ack)
    {
        mutableBuffer.putInt(offset + ACK_OFFSET, ack, BYTE_ORDER);
        return this;
    }

    public int inputSeq()
    {
        return buffer.getInt(offset + INPUT_SEQ_OFFSET, BYTE_ORDER);
    }

    public ClientMessageFlyweight inputSeq(final int inputSeq)
    {
        mutableBuffer.putInt(offset + INPUT_SEQ_OFFSET, inputSeq, BYTE_ORDER);
        return this;
    }

    /**
     * @return the tick the client was looking at when it made the input (u32); 0 when it gave none.
     */
    public int viewTick()
    {
        return buffer.getInt(offset + VIEW_TICK_OFFSET, BYTE_ORDER);
    }

    public ClientMessageFlyweight viewTick(final int viewTick)
    {
        mutableBuffer.putInt(offset + VIEW_TICK_OFFSET, viewTick, BYTE_ORDER);
        return this;
    }

    public long pingTimestamp()
    {
        return buffer.getLong(offset + PING_TIMESTAMP_OFFSET, BYTE_ORDER);
    }

    public ClientMessageFlyweight pingTimestamp(final long timestamp)
    {
        mutableBuffer.putLong(offset + PING_TIMESTAMP_OFFSET, timestamp, BYTE_ORDER);
        return this;
    }

    /**
     * @return a MESSAGE's sequence: 1 for the client's first message of the session, then exactly one more.
     */
    public int messageSeq()
    {
        return buffer.getInt(offset + MESSAGE_SEQ_OFFSET, BYTE_ORDER);
    }

    public ClientMessageFlyweight messageSeq(final int messageSeq)
    {
        mutableBuffer.putInt(offset + MESSAGE_SEQ_OFFSET, messageSeq, BYTE_ORDER);
        return this;
    }

    /**
     * @return an ACK's stream sequence: the newest room MESSAGE or PRESENCE received, with all before it.
     */
    public int messageAck()
    {
        return buffer.getInt(offset + MESSAGE_ACK_OFFSET, BYTE_ORDER);
    }

    public ClientMessageFlyweight messageAck(final int messageAck)
    {
        mutableBuffer.putInt(offset + MESSAGE_ACK_OFFSET, messageAck, BYTE_ORDER);
        return this;
    }

    /**
     * Checks the wrapped bytes as hostile input: a known type and a length that type allows, and an input
     * sequence that is not 0. Input values, message fields and a join's body are checked by {@link InputCodec},
     * {@link MessageCodec} and {@link io.tickwire.codec.control.ControlCodec}.
     *
     * @return {@link ClientMessageError#NONE} when the message may be used, otherwise why not.
     */
    public ClientMessageError validate()
    {
        if (length < WireFormat.CLIENT_HEADER_LENGTH || length > WireFormat.MAX_CLIENT_MESSAGE_LENGTH)
        {
            return length < 1 ? ClientMessageError.EMPTY : ClientMessageError.BAD_LENGTH;
        }

        switch (type())
        {
            case WireFormat.TYPE_INPUT:
                if (length < INPUT_VALUES_OFFSET)
                {
                    return ClientMessageError.BAD_LENGTH;
                }
                return inputSeq() == Sequence.NONE ? ClientMessageError.BAD_VALUE : ClientMessageError.NONE;

            case WireFormat.TYPE_LEAVE:
                return lengthIs(LEAVE_LENGTH);

            case WireFormat.TYPE_PING:
                return lengthIs(PING_LENGTH);

            case WireFormat.TYPE_ACK:
                return lengthIs(ACK_LENGTH);

            case WireFormat.TYPE_MESSAGE:
                return length >= MESSAGE_MIN_LENGTH ? ClientMessageError.NONE : ClientMessageError.BAD_LENGTH;

            case WireFormat.TYPE_JOIN:
                return length > WireFormat.CLIENT_HEADER_LENGTH ?
                    ClientMessageError.NONE : ClientMessageError.BAD_LENGTH;

            default:
                return ClientMessageError.UNKNOWN_TYPE;
        }
    }

    private ClientMessageError lengthIs(final int expected)
    {
        return length == expected ? ClientMessageError.NONE : ClientMessageError.BAD_LENGTH;
    }
}
