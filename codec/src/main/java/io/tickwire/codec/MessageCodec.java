package io.tickwire.codec;

import io.tickwire.api.GameType;
import io.tickwire.api.schema.MessageType;
import org.agrona.DirectBuffer;

/**
 * Checks received game messages, as hostile input, against the message types of one {@link GameType}:
 * <pre>
 *   client MESSAGE  type 0x05 | ack u32        | messageSeq u32 | messageType varint | fields ...
 *   room MESSAGE    type 0x45 | stream seq u32                  | messageType varint | fields ...
 * </pre>
 * The type must be declared by the game and allowed in the message's direction; every field must be valid
 * ({@link MessageFields}); no byte may follow the last field. After a successful check, {@link #type()},
 * {@link #seq()}, {@link #fieldsOffset()} and {@link #fieldsLength()} describe the message, ready for
 * {@link MessageReader#wrap}. Allocation free; one instance per thread per game type.
 */
public final class MessageCodec
{
    private static final int ROOM_TYPE_OFFSET = WireFormat.STREAM_HEADER_LENGTH;

    private final GameType gameType;
    private final VarInts.Reader reader = new VarInts.Reader();
    private final int[] values = new int[MessageType.MAX_FIELDS];
    private final int[] starts = new int[MessageType.MAX_FIELDS];
    private MessageType type;
    private int seq;
    private int fieldsOffset;
    private int fieldsLength;

    public MessageCodec(final GameType gameType)
    {
        this.gameType = gameType;
    }

    public GameType gameType()
    {
        return gameType;
    }

    /**
     * Checks a whole client MESSAGE (0x05). The message sequence is not checked here: it is the session's state.
     *
     * @return {@link ClientMessageError#NONE}; {@link ClientMessageError#BAD_LENGTH} when shorter than
     * {@link ClientMessageFlyweight#MESSAGE_MIN_LENGTH} or longer than a client frame;
     * {@link ClientMessageError#UNKNOWN_TYPE} when it is not a MESSAGE; {@link ClientMessageError#UNKNOWN_MESSAGE_TYPE}
     * when the game declares no such type or only the room may send it; {@link ClientMessageError#BAD_MESSAGE} when
     * the type id's varint or a field is malformed or out of range, or bytes follow the last field.
     */
    public ClientMessageError validateClient(final DirectBuffer buffer, final int offset, final int length)
    {
        type = null;
        if (length < ClientMessageFlyweight.MESSAGE_MIN_LENGTH || length > WireFormat.MAX_CLIENT_MESSAGE_LENGTH)
        {
            return ClientMessageError.BAD_LENGTH;
        }
        if (buffer.getByte(offset) != WireFormat.TYPE_MESSAGE)
        {
            return ClientMessageError.UNKNOWN_TYPE;
        }
        return validate(buffer, offset, length, ClientMessageFlyweight.MESSAGE_TYPE_OFFSET, true,
            buffer.getInt(offset + ClientMessageFlyweight.MESSAGE_SEQ_OFFSET, WireFormat.BYTE_ORDER));
    }

    /**
     * Checks a whole room MESSAGE (0x45), as a client receives it: the stream sequence must not be 0 and the type
     * must be one the room may send.
     *
     * @return true when the message is valid.
     */
    public boolean validateRoom(final DirectBuffer buffer, final int offset, final int length)
    {
        type = null;
        if (length < ROOM_TYPE_OFFSET + 1 || buffer.getByte(offset) != WireFormat.TYPE_ROOM_MESSAGE)
        {
            return false;
        }
        final int streamSeq = buffer.getInt(offset + WireFormat.STREAM_SEQ_OFFSET, WireFormat.BYTE_ORDER);
        return streamSeq != Sequence.NONE &&
            validate(buffer, offset, length, ROOM_TYPE_OFFSET, false, streamSeq) == ClientMessageError.NONE;
    }

    /**
     * @return the type of the message last validated, or null when it was not valid.
     */
    public MessageType type()
    {
        return type;
    }

    /**
     * @return the message sequence (client MESSAGE) or stream sequence (room MESSAGE) of the message last
     * validated.
     */
    public int seq()
    {
        return seq;
    }

    /**
     * @return the absolute offset of the first field of the message last validated.
     */
    public int fieldsOffset()
    {
        return fieldsOffset;
    }

    /**
     * @return the length in bytes of the fields of the message last validated: to the end of the message.
     */
    public int fieldsLength()
    {
        return fieldsLength;
    }

    private ClientMessageError validate(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int typeOffset,
        final boolean fromClient,
        final int messageSeq)
    {
        reader.wrap(buffer, offset + typeOffset, length - typeOffset);
        final long id = reader.varLong();
        if (!reader.isValid())
        {
            return ClientMessageError.BAD_MESSAGE;
        }
        final MessageType candidate = id > MessageType.MAX_ID ? null : gameType.messageType((int)id);
        if (candidate == null ||
            !(fromClient ? candidate.direction().clientMaySend() : candidate.direction().roomMaySend()))
        {
            return ClientMessageError.UNKNOWN_MESSAGE_TYPE;
        }

        final int start = reader.position();
        if (!MessageFields.read(candidate, reader, values, starts) || reader.remaining() != 0)
        {
            return ClientMessageError.BAD_MESSAGE;
        }
        type = candidate;
        seq = messageSeq;
        fieldsOffset = start;
        fieldsLength = offset + length - start;
        return ClientMessageError.NONE;
    }
}
