package io.tickwire.codec.control;

import io.tickwire.api.GameType;
import io.tickwire.api.JoinOption;
import io.tickwire.api.schema.Direction;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import io.tickwire.api.schema.FieldType;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.Utf8;
import io.tickwire.codec.VarInts;
import io.tickwire.codec.WireFormat;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Encodes and decodes the cold control messages ({@link JoinRequest}, {@link Welcome}, {@link Notice}) over Agrona
 * buffers: varints, zigzag varints, u8 and protocol {@code text}, in the fixed order {@code docs/PROTOCOL.md} gives,
 * so any language can produce and check them.
 * <pre>
 *   JOIN     0x01 | ack u32 (ignored) | roomType text | mode u8 | room text | player text | optionCount varint |
 *                   (key text, value text)* | RESUME only: resumeToken 16 bytes | messageAck u32
 *   WELCOME  0x41 | sessionId varint | tickRateHz varint | playerId varint | entityId+1 varint | roomType text |
 *                   room text | historyWindowTicks varint | entity schema | input schema |
 *                   messageTypeCount varint | message type* | roomMetadataCount varint | (key text, value text)* |
 *                   presenceCount varint | resumeToken bytes (length 0 or 16)
 *   NOTICE   0x43 | code varint | detail varint | text
 *   schema       := fieldCount varint | field*
 *   field        := name text | type u8 | min zigzag | max zigzag | stepsPerUnit varint | predictor+1 varint |
 *                   role u8
 *   message type := id varint | name text | direction u8 | ratePerSecond varint | burst varint | fieldCount varint |
 *                   field*
 * </pre>
 * Decoding treats the bytes as hostile: every length, count and range is checked, and trailing bytes are an error.
 * Allocates (strings, records): for cold messages only. Not thread safe: one codec per thread.
 */
public final class ControlCodec
{
    /** Largest JOIN: a client frame. */
    public static final int MAX_JOIN_LENGTH = WireFormat.MAX_CLIENT_MESSAGE_LENGTH;

    /** Largest NOTICE: type, code and detail (u32 varints), text. */
    public static final int MAX_NOTICE_LENGTH = 1 + 5 + 5 + 2 + WireFormat.MAX_NOTICE_TEXT_LENGTH;

    /** Largest field of a schema: name, type, min, max, stepsPerUnit, predictor + 1, role. */
    static final int MAX_FIELD_LENGTH = 1 + FieldDef.MAX_NAME_LENGTH + 1 + 5 + 5 + 5 + 1 + 1;

    /** Largest message type: id, name, direction, rate (at most 1000), burst (at most 10000), fields. */
    static final int MAX_MESSAGE_TYPE_LENGTH =
        1 + 1 + FieldDef.MAX_NAME_LENGTH + 1 + 2 + 2 + 1 + MessageType.MAX_FIELDS * MAX_FIELD_LENGTH;

    /** Largest list of metadata entries. */
    static final int MAX_ENTRIES_LENGTH =
        1 + WireFormat.MAX_ENTRIES * (1 + WireFormat.MAX_KEY_LENGTH + 1 + WireFormat.MAX_VALUE_LENGTH);

    /** Largest WELCOME the codec writes or accepts: every field and list at its maximum. */
    public static final int MAX_WELCOME_LENGTH = 1 + 10 + 2 + 5 + 5 + 2 * (1 + WireFormat.MAX_NAME_LENGTH) + 3 +
        2 * (1 + EntitySchema.MAX_FIELDS * MAX_FIELD_LENGTH) + 1 + MessageType.MAX_ID * MAX_MESSAGE_TYPE_LENGTH +
        MAX_ENTRIES_LENGTH + 3 + 1 + ResumeToken.LENGTH;

    private static final int MAX_TICK_RATE_HZ = 1024;
    private static final int MAX_HISTORY_WINDOW_TICKS = 65536;

    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(1024);
    private final VarInts.Reader reader = new VarInts.Reader();

    /**
     * Encodes a control message with its header: the type byte, and for a join the client's ack (always 0).
     *
     * @param buffer receives the message at {@code offset}: it must hold the message's length, at most
     *               {@link #MAX_JOIN_LENGTH}, {@link #MAX_WELCOME_LENGTH} or {@link #MAX_NOTICE_LENGTH}.
     * @return the number of bytes written at {@code offset}.
     * @throws IllegalArgumentException when the message is not a control message, or breaks a rule of the protocol
     *                                  (a length, a count, a range, a character, a JOIN over 256 bytes).
     */
    public int encode(final Object message, final MutableDirectBuffer buffer, final int offset)
    {
        final int length;
        if (message instanceof JoinRequest)
        {
            length = encodeJoin((JoinRequest)message);
        }
        else if (message instanceof Welcome)
        {
            length = encodeWelcome((Welcome)message);
        }
        else if (message instanceof Notice)
        {
            length = encodeNotice((Notice)message);
        }
        else
        {
            throw new IllegalArgumentException("not a control message: " + message);
        }
        buffer.putBytes(offset, scratch, 0, length);
        return length;
    }

    /**
     * Decodes a control message received from the network. Every length and value is checked; trailing bytes are
     * an error.
     *
     * @return the {@link JoinRequest}, {@link Welcome} or {@link Notice}, or null when the bytes are not a
     * well-formed control message.
     */
    public Object decode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 2)
        {
            return null;
        }
        try
        {
            switch (buffer.getByte(offset))
            {
                case WireFormat.TYPE_JOIN:
                    return length > MAX_JOIN_LENGTH || length <= WireFormat.CLIENT_HEADER_LENGTH ? null :
                        decodeJoin(body(buffer, offset, length, WireFormat.CLIENT_HEADER_LENGTH));
                case WireFormat.TYPE_WELCOME:
                    return length > MAX_WELCOME_LENGTH ? null : decodeWelcome(body(buffer, offset, length, 1));
                case WireFormat.TYPE_NOTICE:
                    return length > MAX_NOTICE_LENGTH ? null : decodeNotice(body(buffer, offset, length, 1));
                default:
                    return null;
            }
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    private VarInts.Reader body(final DirectBuffer buffer, final int offset, final int length, final int headerLength)
    {
        return reader.wrap(buffer, offset + headerLength, length - headerLength);
    }

    private int encodeJoin(final JoinRequest join)
    {
        if (!isValidTarget(join.roomType(), join.mode(), join.room()))
        {
            throw new IllegalArgumentException("bad room type, mode or room: " + join);
        }
        scratch.putByte(0, WireFormat.TYPE_JOIN);
        scratch.putInt(1, 0, WireFormat.BYTE_ORDER);
        int position = Utf8.putText(scratch, WireFormat.CLIENT_HEADER_LENGTH, join.roomType(), 1,
            WireFormat.MAX_NAME_LENGTH);
        scratch.putByte(position++, (byte)join.mode());
        position = Utf8.putText(scratch, position, join.room(), 0, WireFormat.MAX_NAME_LENGTH);
        position = Utf8.putText(scratch, position, join.player(), 0, WireFormat.MAX_NAME_LENGTH);
        for (final String key : join.options().keySet())
        {
            if (!JoinOption.isValidName(key))
            {
                throw new IllegalArgumentException("bad option name: " + key);
            }
        }
        position = putEntries(scratch, position, join.options());
        if (join.mode() == JoinRequest.MODE_RESUME)
        {
            position = join.resumeToken().write(scratch, position);
            scratch.putInt(position, join.messageAck(), WireFormat.BYTE_ORDER);
            position += 4;
        }
        if (position > MAX_JOIN_LENGTH)
        {
            throw new IllegalArgumentException("a JOIN takes " + position + " bytes, more than " + MAX_JOIN_LENGTH);
        }
        return position;
    }

    private JoinRequest decodeJoin(final VarInts.Reader in)
    {
        final String roomType = in.string(1, WireFormat.MAX_NAME_LENGTH);
        final int mode = in.u8();
        final String room = in.string(0, WireFormat.MAX_NAME_LENGTH);
        final String player = in.string(0, WireFormat.MAX_NAME_LENGTH);
        final Map<String, String> options = readEntries(in, true);
        ResumeToken token = null;
        int messageAck = 0;
        if (mode == JoinRequest.MODE_RESUME && in.isValid() && in.remaining() == ResumeToken.LENGTH + 4)
        {
            token = ResumeToken.read(in.buffer(), in.position());
            in.skip(ResumeToken.LENGTH);
            messageAck = in.u32();
        }
        if (!in.isValid() || in.remaining() != 0 || !isValidTarget(roomType, mode, room) ||
            (mode == JoinRequest.MODE_RESUME && (token == null || !options.isEmpty())))
        {
            return null;
        }
        return new JoinRequest(roomType, mode, room, player, options, token, messageAck);
    }

    /**
     * @return true when a join names a valid room type, a known mode, and a room that mode allows: not empty for
     * NAMED and RESUME, empty for ANY, either for CREATE.
     */
    private static boolean isValidTarget(final String roomType, final int mode, final String room)
    {
        return GameType.isValidName(roomType) && mode >= JoinRequest.MODE_NAMED && mode <= JoinRequest.MODE_RESUME &&
            !((mode == JoinRequest.MODE_NAMED || mode == JoinRequest.MODE_RESUME) && room.isEmpty()) &&
            !(mode == JoinRequest.MODE_ANY && !room.isEmpty());
    }

    private int encodeWelcome(final Welcome welcome)
    {
        if (welcome.tickRateHz() < 1 || welcome.tickRateHz() > MAX_TICK_RATE_HZ || welcome.playerId() < 1 ||
            welcome.entityId() < Welcome.NO_ENTITY || welcome.entityId() == Integer.MAX_VALUE ||
            welcome.historyWindowTicks() < 1 || welcome.historyWindowTicks() > MAX_HISTORY_WINDOW_TICKS ||
            welcome.messageTypes().size() > MessageType.MAX_ID || welcome.presenceCount() < 0 ||
            welcome.presenceCount() > GameType.MAX_CLIENTS)
        {
            throw new IllegalArgumentException("welcome out of range: " + welcome);
        }
        scratch.putByte(0, WireFormat.TYPE_WELCOME);
        int position = VarInts.putVarLong(scratch, 1, welcome.sessionId());
        position = VarInts.putVarLong(scratch, position, welcome.tickRateHz());
        position = VarInts.putVarLong(scratch, position, welcome.playerId());
        position = VarInts.putVarLong(scratch, position, welcome.entityId() + 1);
        position = Utf8.putText(scratch, position, welcome.roomType(), 1, WireFormat.MAX_NAME_LENGTH);
        position = Utf8.putText(scratch, position, welcome.room(), 1, WireFormat.MAX_NAME_LENGTH);
        position = VarInts.putVarLong(scratch, position, welcome.historyWindowTicks());
        position = putFields(scratch, position, welcome.entitySchema().fields());
        position = putFields(scratch, position, welcome.inputSchema().fields());
        position = VarInts.putVarLong(scratch, position, welcome.messageTypes().size());
        for (final MessageType type : welcome.messageTypes())
        {
            position = VarInts.putVarLong(scratch, position, type.id());
            position = Utf8.putText(scratch, position, type.name(), 1, FieldDef.MAX_NAME_LENGTH);
            scratch.putByte(position++, (byte)type.direction().code());
            position = VarInts.putVarLong(scratch, position, type.ratePerSecond());
            position = VarInts.putVarLong(scratch, position, type.burst());
            position = putFields(scratch, position, type.fields());
        }
        position = putEntries(scratch, position, welcome.roomMetadata());
        position = VarInts.putVarLong(scratch, position, welcome.presenceCount());
        if (welcome.resumeToken() == null)
        {
            return VarInts.putVarLong(scratch, position, 0);
        }
        position = VarInts.putVarLong(scratch, position, ResumeToken.LENGTH);
        return welcome.resumeToken().write(scratch, position);
    }

    private Welcome decodeWelcome(final VarInts.Reader in)
    {
        final long sessionId = in.varLong();
        final int tickRateHz = in.varInt(MAX_TICK_RATE_HZ);
        final int playerId = in.varInt(Integer.MAX_VALUE);
        final int entityId = in.varInt(Integer.MAX_VALUE) - 1;
        final String roomType = in.string(1, WireFormat.MAX_NAME_LENGTH);
        final String room = in.string(1, WireFormat.MAX_NAME_LENGTH);
        final int historyWindowTicks = in.varInt(MAX_HISTORY_WINDOW_TICKS);
        final List<FieldDef> entityFields = readFields(in, EntitySchema.MAX_FIELDS);
        final List<FieldDef> inputFields = readFields(in, InputSchema.MAX_FIELDS);
        final int typeCount = in.varInt(MessageType.MAX_ID);
        final List<MessageType> types = new ArrayList<>(typeCount);
        final Set<Integer> ids = new HashSet<>();
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < typeCount && in.isValid(); i++)
        {
            final int id = in.varInt(MessageType.MAX_ID);
            final String name = in.string(1, FieldDef.MAX_NAME_LENGTH);
            final Direction direction = Direction.fromCode(in.u8());
            final int ratePerSecond = in.varInt(Integer.MAX_VALUE);
            final int burst = in.varInt(Integer.MAX_VALUE);
            final List<FieldDef> fields = readFields(in, MessageType.MAX_FIELDS);
            if (!in.isValid() || direction == null || !ids.add(id) || !names.add(name))
            {
                return null;
            }
            types.add(new MessageType(id, name, direction, fields, ratePerSecond, burst));
        }
        final Map<String, String> roomMetadata = readEntries(in, false);
        final int presenceCount = in.varInt(GameType.MAX_CLIENTS);
        final int tokenLength = in.bytes(ResumeToken.LENGTH);
        final ResumeToken token = in.isValid() && tokenLength == ResumeToken.LENGTH ?
            ResumeToken.read(in.buffer(), in.position() - ResumeToken.LENGTH) : null;
        if (!in.isValid() || in.remaining() != 0 || tickRateHz < 1 || playerId < 1 || historyWindowTicks < 1 ||
            (tokenLength != 0 && tokenLength != ResumeToken.LENGTH))
        {
            return null;
        }
        return new Welcome(sessionId, tickRateHz, playerId, entityId, roomType, room, historyWindowTicks,
            new EntitySchema(entityFields), new InputSchema(inputFields), types, roomMetadata, presenceCount, token);
    }

    private int encodeNotice(final Notice notice)
    {
        scratch.putByte(0, WireFormat.TYPE_NOTICE);
        int position = VarInts.putVarLong(scratch, 1, notice.code() & 0xFFFF_FFFFL);
        position = VarInts.putVarLong(scratch, position, notice.detail() & 0xFFFF_FFFFL);
        return Utf8.putText(scratch, position, notice.text(), 0, WireFormat.MAX_NOTICE_TEXT_LENGTH);
    }

    private static Notice decodeNotice(final VarInts.Reader in)
    {
        final long code = in.varLong();
        final long detail = in.varLong();
        final String text = in.string(0, WireFormat.MAX_NOTICE_TEXT_LENGTH);
        if (!in.isValid() || in.remaining() != 0 || code > 0xFFFF_FFFFL || detail > 0xFFFF_FFFFL)
        {
            return null;
        }
        return new Notice((int)code, (int)detail, text);
    }

    /**
     * Writes a field list: its count, then each field.
     */
    private static int putFields(final MutableDirectBuffer buffer, final int index, final List<FieldDef> fields)
    {
        int position = VarInts.putVarLong(buffer, index, fields.size());
        for (final FieldDef field : fields)
        {
            position = Utf8.putText(buffer, position, field.name(), 1, FieldDef.MAX_NAME_LENGTH);
            buffer.putByte(position++, (byte)field.type().code());
            position = VarInts.putVarLong(buffer, position, VarInts.zigzag(field.min()));
            position = VarInts.putVarLong(buffer, position, VarInts.zigzag(field.max()));
            position = VarInts.putVarLong(buffer, position, field.stepsPerUnit());
            position = VarInts.putVarLong(buffer, position, field.predictor() + 1);
            buffer.putByte(position++, (byte)field.role().code());
        }
        return position;
    }

    /**
     * Reads a field list of at most {@code maxCount} fields; the schema's constructor checks how they fit together.
     *
     * @return the fields; an empty list when the reader is no longer valid.
     */
    private static List<FieldDef> readFields(final VarInts.Reader in, final int maxCount)
    {
        final int count = in.varInt(maxCount);
        final List<FieldDef> fields = new ArrayList<>(count);
        for (int i = 0; i < count && in.isValid(); i++)
        {
            final String name = in.string(1, FieldDef.MAX_NAME_LENGTH);
            final FieldType type = FieldType.fromCode(in.u8());
            final int min = in.zigzagInt();
            final int max = in.zigzagInt();
            final int stepsPerUnit = in.varInt(Integer.MAX_VALUE);
            final int predictor = in.varInt(EntitySchema.MAX_FIELDS) - 1;
            final FieldRole role = FieldRole.fromCode(in.u8());
            if (!in.isValid() || type == null || role == null)
            {
                in.fail();
                return List.of();
            }
            fields.add(new FieldDef(name, type, min, max, stepsPerUnit, predictor, role));
        }
        return fields;
    }

    /**
     * Writes key/value entries (join options, room or player metadata): their count, then each key and value.
     */
    static int putEntries(final MutableDirectBuffer buffer, final int index, final Map<String, String> entries)
    {
        if (entries.size() > WireFormat.MAX_ENTRIES)
        {
            throw new IllegalArgumentException("more than " + WireFormat.MAX_ENTRIES + " entries: " + entries);
        }
        int position = VarInts.putVarLong(buffer, index, entries.size());
        for (final Map.Entry<String, String> entry : entries.entrySet())
        {
            position = Utf8.putText(buffer, position, entry.getKey(), 1, WireFormat.MAX_KEY_LENGTH);
            position = Utf8.putText(buffer, position, entry.getValue(), 0, WireFormat.MAX_VALUE_LENGTH);
        }
        return position;
    }

    /**
     * Reads key/value entries: a count of at most {@link WireFormat#MAX_ENTRIES}, keys of 1..32 bytes (of
     * {@code [a-zA-Z0-9_.-]} when {@code optionKeys}), distinct, values of 0..64 bytes.
     *
     * @return the entries in wire order; marks the reader malformed and returns an empty map on a violation.
     */
    static Map<String, String> readEntries(final VarInts.Reader in, final boolean optionKeys)
    {
        final int count = in.varInt(WireFormat.MAX_ENTRIES);
        final Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < count && in.isValid(); i++)
        {
            final String key = in.string(1, WireFormat.MAX_KEY_LENGTH);
            final String value = in.string(0, WireFormat.MAX_VALUE_LENGTH);
            if (!in.isValid() || (optionKeys && !JoinOption.isValidName(key)) || entries.put(key, value) != null)
            {
                in.fail();
                return Map.of();
            }
        }
        return entries;
    }
}
