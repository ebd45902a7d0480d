package io.tickwire.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.tickwire.codec.WireFormat.BYTE_ORDER;

/**
 * Flyweight over a client message: the common header and, for {@link WireFormat#TYPE_INPUT}, the input body.
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------+-----------------------------------------------+
 *   |     type      |              ack (u32 LE) ...                 |
 *   +---------------+---------------+-------------------------------+
 *   | ... ack       |          input sequence (u32 LE) ...          |
 *   +---------------+---------------+---------------+---------------+
 *   | ... input seq |  move x (i8)  |  move y (i8)  |  buttons (u8) |
 *   +---------------+---------------+---------------+---------------+
 *
 *   ping: type 0x04, ack, then a u64 timestamp at offset 5 (13 bytes)
 * </pre>
 * Not thread safe: one instance per thread, re-pointed with {@link #wrap(DirectBuffer, int, int)} per message.
 */
public final class ClientMessageFlyweight
{
    public static final int TYPE_OFFSET = 0;
    public static final int ACK_OFFSET = 1;
    public static final int INPUT_SEQ_OFFSET = WireFormat.CLIENT_HEADER_LENGTH;
    public static final int MOVE_X_OFFSET = INPUT_SEQ_OFFSET + 4;
    public static final int MOVE_Y_OFFSET = MOVE_X_OFFSET + 1;
    public static final int BUTTONS_OFFSET = MOVE_Y_OFFSET + 1;

    /** Exact length of an input message. */
    public static final int INPUT_LENGTH = BUTTONS_OFFSET + 1;

    /** Exact length of a leave message. */
    public static final int LEAVE_LENGTH = WireFormat.CLIENT_HEADER_LENGTH;

    /** Offset of a ping's timestamp, an opaque u64 the server echoes. */
    public static final int PING_TIMESTAMP_OFFSET = WireFormat.CLIENT_HEADER_LENGTH;

    /** Exact length of a ping message. */
    public static final int PING_LENGTH = PING_TIMESTAMP_OFFSET + 8;

    /** Largest magnitude of a move axis; -128 is not a valid value on the wire. */
    public static final int MAX_MOVE = 127;

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

    public int moveX()
    {
        return buffer.getByte(offset + MOVE_X_OFFSET);
    }

    public ClientMessageFlyweight moveX(final int moveX)
    {
        mutableBuffer.putByte(offset + MOVE_X_OFFSET, (byte)moveX);
        return this;
    }

    public int moveY()
    {
        return buffer.getByte(offset + MOVE_Y_OFFSET);
    }

    public ClientMessageFlyweight moveY(final int moveY)
    {
        mutableBuffer.putByte(offset + MOVE_Y_OFFSET, (byte)moveY);
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

    public int buttons()
    {
        return buffer.getByte(offset + BUTTONS_OFFSET) & 0xFF;
    }

    public ClientMessageFlyweight buttons(final int buttons)
    {
        mutableBuffer.putByte(offset + BUTTONS_OFFSET, (byte)buttons);
        return this;
    }

    /**
     * Checks the wrapped bytes as hostile input: a known type, the exact length of that type, and values in range.
     * A join's body is checked by {@link io.tickwire.codec.control.ControlCodec} when it is decoded.
     *
     * @return {@link ClientMessageError#NONE} when the message may be used, otherwise why not.
     */
    public ClientMessageError validate()
    {
        if (length < WireFormat.CLIENT_HEADER_LENGTH)
        {
            return length < 1 ? ClientMessageError.EMPTY : ClientMessageError.BAD_LENGTH;
        }

        switch (type())
        {
            case WireFormat.TYPE_INPUT:
                if (length != INPUT_LENGTH)
                {
                    return ClientMessageError.BAD_LENGTH;
                }
                if (moveX() < -MAX_MOVE || moveY() < -MAX_MOVE)
                {
                    return ClientMessageError.BAD_VALUE;
                }
                if (inputSeq() == Sequence.NONE)
                {
                    return ClientMessageError.BAD_VALUE;
                }
                return ClientMessageError.NONE;

            case WireFormat.TYPE_LEAVE:
                return length == LEAVE_LENGTH ? ClientMessageError.NONE : ClientMessageError.BAD_LENGTH;

            case WireFormat.TYPE_PING:
                return length == PING_LENGTH ? ClientMessageError.NONE : ClientMessageError.BAD_LENGTH;

            case WireFormat.TYPE_JOIN:
                return length > WireFormat.CLIENT_HEADER_LENGTH ?
                    ClientMessageError.NONE : ClientMessageError.BAD_LENGTH;

            default:
                return ClientMessageError.UNKNOWN_TYPE;
        }
    }
}
