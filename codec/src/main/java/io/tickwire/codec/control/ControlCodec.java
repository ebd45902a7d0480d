package io.tickwire.codec.control;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.tickwire.codec.WireFormat;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import io.tickwire.api.schema.FieldType;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes the cold control messages ({@link JoinRequest}, {@link Welcome}, {@link Notice}) with Kryo.
 * Registration is required and every class has an explicit id; each class has a serializer that writes its fields
 * in a fixed order as varints and length-prefixed UTF-8, so the bytes are specified in {@code docs/PROTOCOL.md}
 * and any language can produce them.
 * <p>
 * Not thread safe: Kryo and its buffers belong to one thread. Make one codec per thread.
 */
public final class ControlCodec
{
    public static final int JOIN_REQUEST_ID = 16;
    public static final int WELCOME_ID = 17;
    public static final int NOTICE_ID = 18;

    private static final int MAX_TEXT_LENGTH = WireFormat.MAX_NAME_LENGTH * 4;
    private static final int MAX_MESSAGE_LENGTH = 4096;

    private final Kryo kryo = new Kryo();
    private final Output output = new Output(MAX_MESSAGE_LENGTH);
    private final Input input = new Input(MAX_MESSAGE_LENGTH);
    private final byte[] inputBytes = new byte[MAX_MESSAGE_LENGTH];
    private final CharsetDecoder utf8Decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);

    public ControlCodec()
    {
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.register(JoinRequest.class, new JoinRequestSerializer(), JOIN_REQUEST_ID);
        kryo.register(Welcome.class, new WelcomeSerializer(), WELCOME_ID);
        kryo.register(Notice.class, new NoticeSerializer(), NOTICE_ID);
    }

    /**
     * Encodes a control message with its header: the type byte, and for a join the client's ack (always 0).
     *
     * @return the number of bytes written at {@code offset}.
     * @throws IllegalArgumentException when the message is not a control message or a name is too long.
     */
    public int encode(final Object message, final MutableDirectBuffer buffer, final int offset)
    {
        final int headerLength;
        if (message instanceof JoinRequest)
        {
            buffer.putByte(offset, WireFormat.TYPE_JOIN);
            buffer.putInt(offset + 1, 0, WireFormat.BYTE_ORDER);
            headerLength = WireFormat.CLIENT_HEADER_LENGTH;
        }
        else if (message instanceof Welcome)
        {
            buffer.putByte(offset, WireFormat.TYPE_WELCOME);
            headerLength = 1;
        }
        else if (message instanceof Notice)
        {
            buffer.putByte(offset, WireFormat.TYPE_NOTICE);
            headerLength = 1;
        }
        else
        {
            throw new IllegalArgumentException("not a control message: " + message);
        }

        output.reset();
        kryo.writeObject(output, message);
        buffer.putBytes(offset + headerLength, output.getBuffer(), 0, output.position());
        return headerLength + output.position();
    }

    /**
     * Decodes a control message received from the network. Every length and value is checked; trailing bytes are
     * an error.
     *
     * @return the message, or null when the bytes are not a well-formed control message.
     */
    public Object decode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1 || length > MAX_MESSAGE_LENGTH)
        {
            return null;
        }

        final Class<?> type;
        final int headerLength;
        switch (buffer.getByte(offset))
        {
            case WireFormat.TYPE_JOIN:
                type = JoinRequest.class;
                headerLength = WireFormat.CLIENT_HEADER_LENGTH;
                break;
            case WireFormat.TYPE_WELCOME:
                type = Welcome.class;
                headerLength = 1;
                break;
            case WireFormat.TYPE_NOTICE:
                type = Notice.class;
                headerLength = 1;
                break;
            default:
                return null;
        }

        final int bodyLength = length - headerLength;
        if (bodyLength < 1)
        {
            return null;
        }

        buffer.getBytes(offset + headerLength, inputBytes, 0, bodyLength);
        input.setBuffer(inputBytes, 0, bodyLength);
        try
        {
            final Object message = kryo.readObject(input, type);
            return input.position() == bodyLength ? message : null;
        }
        catch (final KryoException | IllegalArgumentException ex)
        {
            return null;
        }
    }

    private static void writeText(final Output output, final String text, final int maxLength)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxLength)
        {
            throw new IllegalArgumentException("text longer than " + maxLength + " UTF-8 bytes: " + text);
        }
        output.writeVarInt(bytes.length, true);
        output.writeBytes(bytes);
    }

    private String readText(final Input input, final int maxLength)
    {
        final int length = input.readVarInt(true);
        if (length < 0 || length > maxLength)
        {
            throw new IllegalArgumentException("text length " + length);
        }

        final String text;
        try
        {
            text = utf8Decoder.decode(ByteBuffer.wrap(input.readBytes(length))).toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw new IllegalArgumentException("malformed UTF-8", ex);
        }

        for (int i = 0; i < text.length(); i++)
        {
            if (Character.isISOControl(text.charAt(i)))
            {
                throw new IllegalArgumentException("control character in text");
            }
        }
        return text;
    }

    private final class JoinRequestSerializer extends Serializer<JoinRequest>
    {
        public void write(final Kryo kryo, final Output output, final JoinRequest join)
        {
            writeText(output, join.room(), WireFormat.MAX_NAME_LENGTH);
            writeText(output, join.player(), WireFormat.MAX_NAME_LENGTH);
        }

        public JoinRequest read(final Kryo kryo, final Input input, final Class<? extends JoinRequest> type)
        {
            final String room = readText(input, WireFormat.MAX_NAME_LENGTH);
            final String player = readText(input, WireFormat.MAX_NAME_LENGTH);
            return new JoinRequest(room, player);
        }
    }

    private final class WelcomeSerializer extends Serializer<Welcome>
    {
        public void write(final Kryo kryo, final Output output, final Welcome welcome)
        {
            output.writeVarLong(welcome.sessionId(), true);
            output.writeVarInt(welcome.tickRateHz(), true);
            output.writeVarInt(welcome.entityId(), true);
            writeText(output, welcome.room(), WireFormat.MAX_NAME_LENGTH);
            output.writeVarInt(welcome.historyWindowTicks(), true);
            writeSchema(output, welcome.schema());
        }

        public Welcome read(final Kryo kryo, final Input input, final Class<? extends Welcome> type)
        {
            final long sessionId = input.readVarLong(true);
            final int tickRateHz = input.readVarInt(true);
            final int entityId = input.readVarInt(true);
            final String room = readText(input, WireFormat.MAX_NAME_LENGTH);
            final int historyWindowTicks = input.readVarInt(true);
            if (tickRateHz < 1 || tickRateHz > 1024 || historyWindowTicks < 0 || historyWindowTicks > 65536)
            {
                throw new IllegalArgumentException("welcome out of range");
            }
            return new Welcome(sessionId, tickRateHz, entityId, room, historyWindowTicks, readSchema(input));
        }
    }

    /**
     * A schema: varint field count, then per field: name (text), type (u8), min and max (zigzag varint),
     * steps per unit (varint), predictor + 1 (varint, 0 = none), role (u8).
     */
    private static void writeSchema(final Output output, final EntitySchema schema)
    {
        output.writeVarInt(schema.fieldCount(), true);
        for (final FieldDef field : schema.fields())
        {
            writeText(output, field.name(), WireFormat.MAX_NAME_LENGTH);
            output.writeByte(field.type().code());
            output.writeVarInt(field.min(), false);
            output.writeVarInt(field.max(), false);
            output.writeVarInt(field.stepsPerUnit(), true);
            output.writeVarInt(field.predictor() + 1, true);
            output.writeByte(field.role().code());
        }
    }

    private EntitySchema readSchema(final Input input)
    {
        final int fieldCount = input.readVarInt(true);
        if (fieldCount < 1 || fieldCount > EntitySchema.MAX_FIELDS)
        {
            throw new IllegalArgumentException("schema field count " + fieldCount);
        }
        final List<FieldDef> fields = new ArrayList<>(fieldCount);
        for (int i = 0; i < fieldCount; i++)
        {
            final String name = readText(input, WireFormat.MAX_NAME_LENGTH);
            final FieldType fieldType = FieldType.fromCode(input.readByteUnsigned());
            final int min = input.readVarInt(false);
            final int max = input.readVarInt(false);
            final int stepsPerUnit = input.readVarInt(true);
            final int predictor = input.readVarInt(true) - 1;
            final FieldRole role = FieldRole.fromCode(input.readByteUnsigned());
            fields.add(new FieldDef(name, fieldType, min, max, stepsPerUnit, predictor, role));
        }
        return new EntitySchema(fields);
    }

    private final class NoticeSerializer extends Serializer<Notice>
    {
        public void write(final Kryo kryo, final Output output, final Notice notice)
        {
            output.writeVarInt(notice.code(), true);
            output.writeVarInt(notice.detail(), true);
            writeText(output, notice.text(), MAX_TEXT_LENGTH);
        }

        public Notice read(final Kryo kryo, final Input input, final Class<? extends Notice> type)
        {
            final int code = input.readVarInt(true);
            final int detail = input.readVarInt(true);
            return new Notice(code, detail, readText(input, MAX_TEXT_LENGTH));
        }
    }
}
