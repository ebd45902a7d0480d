package io.tickwire.api.schema;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A game-defined message type: its id on the wire, its name, who may send it, and the schema of its fields (numeric
 * fields with ranges, text and bytes with maximum lengths). Messages are events: delivered in order, never conflated
 * or dropped, each exactly once.
 * <p>
 * A type clients may send has a rate limit (sustained messages per second and a burst) that the server enforces per
 * connection, and its largest encoding must fit {@link #MAX_CLIENT_FIELDS_LENGTH} bytes. Immutable and thread safe.
 *
 * @param id            the type's id on the wire, 1..{@link #MAX_ID}, unique within a game.
 * @param name          1..32 UTF-8 bytes, unique within a game.
 * @param direction     who may send it.
 * @param fields        0..{@link #MAX_FIELDS} fields, in wire order, names unique.
 * @param ratePerSecond messages of this type a client may send per second, sustained (0 for room-only types).
 * @param burst         messages of this type a client may send at once (0 for room-only types).
 */
public record MessageType(
    int id, String name, Direction direction, List<FieldDef> fields, int ratePerSecond, int burst)
{
    /** Largest type id: ids fit one varint byte. */
    public static final int MAX_ID = 127;

    /** Most fields a message may have. */
    public static final int MAX_FIELDS = 16;

    /**
     * Largest encoding of a client message's fields, in bytes: the protocol caps a client frame at 256 bytes, and
     * the message header takes the rest.
     */
    public static final int MAX_CLIENT_FIELDS_LENGTH = 240;

    /** Largest encoding of a room message's fields, in bytes. */
    public static final int MAX_ROOM_FIELDS_LENGTH = 8192;

    public MessageType
    {
        if (id < 1 || id > MAX_ID)
        {
            throw new IllegalArgumentException("message type id must be in 1.." + MAX_ID + ": " + id);
        }
        final int nameLength = name.getBytes(StandardCharsets.UTF_8).length;
        if (nameLength < 1 || nameLength > FieldDef.MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException("message type name must be 1..32 bytes: " + name);
        }
        if (direction == null)
        {
            throw new IllegalArgumentException("message type " + name + " needs a direction");
        }
        fields = List.copyOf(fields);
        if (fields.size() > MAX_FIELDS)
        {
            throw new IllegalArgumentException("message type " + name + " has more than " + MAX_FIELDS + " fields");
        }
        final Set<String> names = new HashSet<>();
        for (final FieldDef field : fields)
        {
            if (!names.add(field.name()) || field.predictor() != FieldDef.NO_PREDICTOR ||
                field.role() != FieldRole.NONE)
            {
                throw new IllegalArgumentException(
                    "message type " + name + ": field " + field.name() + " is a duplicate or has a predictor or role");
            }
        }
        if (direction.clientMaySend())
        {
            if (ratePerSecond < 1 || ratePerSecond > 1000 || burst < 1 || burst > 10_000)
            {
                throw new IllegalArgumentException(
                    "message type " + name + ": clients may send it, so it needs a rate in 1..1000 per second and " +
                    "a burst in 1..10000");
            }
            if (maxFieldsLength(fields) > MAX_CLIENT_FIELDS_LENGTH)
            {
                throw new IllegalArgumentException("message type " + name + ": fields may take " +
                    maxFieldsLength(fields) + " bytes, more than a client message's " + MAX_CLIENT_FIELDS_LENGTH);
            }
        }
        else if (ratePerSecond != 0 || burst != 0)
        {
            throw new IllegalArgumentException("message type " + name + ": a room-only type has no client rate");
        }
        if (maxFieldsLength(fields) > MAX_ROOM_FIELDS_LENGTH)
        {
            throw new IllegalArgumentException("message type " + name + ": fields may take more than " +
                MAX_ROOM_FIELDS_LENGTH + " bytes");
        }
    }

    /**
     * A type only the room sends.
     */
    public static MessageType toClients(final int id, final String name, final FieldDef... fields)
    {
        return new MessageType(id, name, Direction.ROOM_TO_CLIENT, Arrays.asList(fields), 0, 0);
    }

    /**
     * A type only clients send, at most {@code ratePerSecond} per second sustained and {@code burst} at once.
     */
    public static MessageType fromClients(
        final int id, final String name, final int ratePerSecond, final int burst, final FieldDef... fields)
    {
        return new MessageType(id, name, Direction.CLIENT_TO_ROOM, Arrays.asList(fields), ratePerSecond, burst);
    }

    /**
     * A type both clients and the room send; clients at most {@code ratePerSecond} per second and {@code burst} at
     * once.
     */
    public static MessageType both(
        final int id, final String name, final int ratePerSecond, final int burst, final FieldDef... fields)
    {
        return new MessageType(id, name, Direction.BOTH, Arrays.asList(fields), ratePerSecond, burst);
    }

    public int fieldCount()
    {
        return fields.size();
    }

    public FieldDef field(final int index)
    {
        return fields.get(index);
    }

    /**
     * @return the index of the field named {@code name}, or -1.
     */
    public int indexOf(final String fieldName)
    {
        for (int i = 0; i < fields.size(); i++)
        {
            if (fields.get(i).name().equals(fieldName))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @return the most bytes the fields of a message of this type can take on the wire: a numeric field is a varint
     * of {@code value - min}, a text or bytes field a varint length and that many bytes.
     */
    public int maxFieldsLength()
    {
        return maxFieldsLength(fields);
    }

    private static int maxFieldsLength(final List<FieldDef> fields)
    {
        int length = 0;
        for (final FieldDef field : fields)
        {
            final long span = (long)field.max() - field.min();
            length += field.type().isNumeric() ? varIntLength(span) : varIntLength(field.max()) + field.max();
        }
        return length;
    }

    private static int varIntLength(final long value)
    {
        int length = 1;
        for (long rest = value >>> 7; rest != 0; rest >>>= 7)
        {
            length++;
        }
        return length;
    }
}
