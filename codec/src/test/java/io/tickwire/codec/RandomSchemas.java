package io.tickwire.codec;

import io.tickwire.api.schema.Direction;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import io.tickwire.api.schema.FieldType;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.api.schema.MessageType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random schemas and values for property tests, with the extremes mixed in: ranges such as
 * {@code Integer.MIN_VALUE..Integer.MAX_VALUE}, single-value ranges, text and bytes of every length up to the
 * limit, text with 2-, 3- and 4-byte characters.
 */
public final class RandomSchemas
{
    private static final String[] PIECES = {
        "a", "Z", "0", " ", "~", "é", "ÿ", "Ω", "中", "€", "\uD83D\uDE00", "-"};

    private RandomSchemas()
    {
    }

    public static FieldDef numericField(final SplittableRandom random, final String name)
    {
        final long min;
        final long max;
        switch (random.nextInt(8))
        {
            case 0:
                min = Integer.MIN_VALUE;
                max = Integer.MAX_VALUE;
                break;
            case 1:
                min = Integer.MIN_VALUE;
                max = Integer.MIN_VALUE + random.nextInt(3);
                break;
            case 2:
                max = Integer.MAX_VALUE;
                min = Integer.MAX_VALUE - random.nextInt(3);
                break;
            case 3:
                min = 0;
                max = random.nextInt(Integer.MAX_VALUE);
                break;
            case 4:
                min = -random.nextInt(1000);
                max = min + random.nextInt(2000);
                break;
            case 5:
                min = random.nextInt(Integer.MIN_VALUE, Integer.MAX_VALUE);
                max = random.nextLong(min, (long)Integer.MAX_VALUE + 1);
                break;
            default:
                min = 0;
                max = random.nextInt(256);
                break;
        }
        final FieldType type = min >= 0 && random.nextBoolean() ? FieldType.UINT :
            FieldType.values()[1 + random.nextInt(3)];
        final int stepsPerUnit = type == FieldType.FIXED ? 1 + random.nextInt(64) : 1;
        return new FieldDef(name, type, (int)min, (int)max, stepsPerUnit, FieldDef.NO_PREDICTOR, FieldRole.NONE);
    }

    /**
     * @return an entity schema of {@code fieldCount} numeric fields, a third of them predicted by an earlier field.
     */
    public static EntitySchema entitySchema(final SplittableRandom random, final int fieldCount)
    {
        final List<FieldDef> fields = new ArrayList<>();
        for (int i = 0; i < fieldCount; i++)
        {
            final FieldDef field = numericField(random, "e" + i);
            final int predictor = i > 0 && random.nextInt(3) == 0 ? random.nextInt(i) : FieldDef.NO_PREDICTOR;
            fields.add(new FieldDef(field.name(), field.type(), field.min(), field.max(), field.stepsPerUnit(),
                predictor, FieldRole.NONE));
        }
        return new EntitySchema(fields);
    }

    public static InputSchema inputSchema(final SplittableRandom random)
    {
        final List<FieldDef> fields = new ArrayList<>();
        final int count = random.nextInt(8) == 0 ? InputSchema.MAX_FIELDS : random.nextInt(6);
        for (int i = 0; i < count; i++)
        {
            fields.add(numericField(random, "in" + i));
        }
        return new InputSchema(fields);
    }

    /**
     * @return a message type whose largest encoding fits the limit of its direction.
     */
    public static MessageType messageType(final SplittableRandom random, final int id, final Direction direction)
    {
        int budget = direction.clientMaySend() ?
            MessageType.MAX_CLIENT_FIELDS_LENGTH : MessageType.MAX_ROOM_FIELDS_LENGTH;
        final List<FieldDef> fields = new ArrayList<>();
        final int count = random.nextInt(6) == 0 ? MessageType.MAX_FIELDS : random.nextInt(6);
        for (int i = 0; i < count && budget > 8; i++)
        {
            final int kind = random.nextInt(4);
            if (kind < 2)
            {
                final FieldDef field = numericField(random, "f" + i);
                budget -= VarInts.lengthOf((long)field.max() - field.min());
                fields.add(field);
            }
            else
            {
                final int limit = Math.min(FieldDef.MAX_VARIABLE_LENGTH, budget - 2);
                final int max = random.nextInt(4) == 0 ? limit : 1 + random.nextInt(Math.min(limit, 40));
                budget -= VarInts.lengthOf(max) + max;
                fields.add(kind == 2 ? FieldDef.text("f" + i, max) : FieldDef.bytes("f" + i, max));
            }
        }
        final boolean clients = direction.clientMaySend();
        return new MessageType(id, "type-" + id, direction, fields, clients ? 1 + random.nextInt(1000) : 0,
            clients ? 1 + random.nextInt(10_000) : 0);
    }

    public static int value(final SplittableRandom random, final FieldDef field)
    {
        switch (random.nextInt(4))
        {
            case 0:
                return field.min();
            case 1:
                return field.max();
            default:
                return (int)random.nextLong(field.min(), (long)field.max() + 1);
        }
    }

    /**
     * @return text of at most {@code maxBytes} UTF-8 bytes without control characters, often exactly at the limit.
     */
    public static String text(final SplittableRandom random, final int maxBytes)
    {
        final int target = random.nextBoolean() ? maxBytes : random.nextInt(maxBytes + 1);
        final StringBuilder text = new StringBuilder();
        int length = 0;
        while (length < target)
        {
            final String piece = target - length < 4 ? "x" : PIECES[random.nextInt(PIECES.length)];
            text.append(piece);
            length += piece.getBytes(StandardCharsets.UTF_8).length;
        }
        return text.toString();
    }

    public static byte[] bytes(final SplittableRandom random, final int maxBytes)
    {
        final byte[] bytes = new byte[random.nextBoolean() ? maxBytes : random.nextInt(maxBytes + 1)];
        random.nextBytes(bytes);
        return bytes;
    }
}
