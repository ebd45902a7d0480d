package io.tickwire.api.schema;

import java.nio.charset.StandardCharsets;

/**
 * One field of an entity schema: its name, type, quantization and range, and how deltas predict it.
 *
 * @param name          unique within the schema, 1..32 UTF-8 bytes.
 * @param type          how a client presents the value.
 * @param min           smallest value, inclusive.
 * @param max           largest value, inclusive; {@code max - min} fits in 32 bits.
 * @param stepsPerUnit  quantization: the value in units is {@code value / stepsPerUnit}; 1 unless
 *                      {@link FieldType#FIXED}.
 * @param predictor     index of the field holding this field's change per tick, or {@link #NO_PREDICTOR}: a delta
 *                      then codes this field relative to {@code baseline + baselineRate * ticksSinceBaseline}, so
 *                      steady motion costs nothing.
 * @param role          what interest management uses the field for.
 */
public record FieldDef(
    String name, FieldType type, int min, int max, int stepsPerUnit, int predictor, FieldRole role)
{
    public static final int NO_PREDICTOR = -1;

    /** Longest field name, in UTF-8 bytes. */
    public static final int MAX_NAME_LENGTH = 32;

    /** Longest {@link FieldType#TEXT} or {@link FieldType#BYTES} field, in bytes. */
    public static final int MAX_VARIABLE_LENGTH = 4096;

    public FieldDef
    {
        final int nameLength = name.getBytes(StandardCharsets.UTF_8).length;
        if (nameLength < 1 || nameLength > MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException(
                "field name must be 1.." + MAX_NAME_LENGTH + " bytes: " + name);
        }
        if (type == null || role == null)
        {
            throw new IllegalArgumentException("field " + name + " needs a type and a role");
        }
        if (min > max)
        {
            throw new IllegalArgumentException("field " + name + ": min " + min + " > max " + max);
        }
        if (stepsPerUnit < 1 || (type != FieldType.FIXED && stepsPerUnit != 1))
        {
            throw new IllegalArgumentException("field " + name + ": stepsPerUnit must be 1, or >= 1 for FIXED");
        }
        if (type == FieldType.UINT && min < 0)
        {
            throw new IllegalArgumentException("field " + name + ": UINT needs min >= 0");
        }
        if (!type.isNumeric() && (min != 0 || max < 1 || max > MAX_VARIABLE_LENGTH ||
            predictor != NO_PREDICTOR || role != FieldRole.NONE))
        {
            throw new IllegalArgumentException(
                "field " + name + ": " + type + " has min 0, max 1.." + MAX_VARIABLE_LENGTH + ", no predictor or role");
        }
    }

    public static FieldDef uint(final String name, final int max)
    {
        return new FieldDef(name, FieldType.UINT, 0, max, 1, NO_PREDICTOR, FieldRole.NONE);
    }

    public static FieldDef enumeration(final String name, final int count)
    {
        return new FieldDef(name, FieldType.ENUM, 0, count - 1, 1, NO_PREDICTOR, FieldRole.NONE);
    }

    public static FieldDef integer(final String name, final int min, final int max)
    {
        return new FieldDef(name, FieldType.INT, min, max, 1, NO_PREDICTOR, FieldRole.NONE);
    }

    /**
     * A fixed-point field, predicted by the field at index {@code predictor} (or {@link #NO_PREDICTOR}).
     */
    public static FieldDef fixed(
        final String name, final int min, final int max, final int stepsPerUnit, final int predictor,
        final FieldRole role)
    {
        return new FieldDef(name, FieldType.FIXED, min, max, stepsPerUnit, predictor, role);
    }

    /**
     * UTF-8 text of at most {@code maxBytes} bytes; for message schemas.
     */
    public static FieldDef text(final String name, final int maxBytes)
    {
        return new FieldDef(name, FieldType.TEXT, 0, maxBytes, 1, NO_PREDICTOR, FieldRole.NONE);
    }

    /**
     * Opaque bytes, at most {@code maxBytes}; for message schemas.
     */
    public static FieldDef bytes(final String name, final int maxBytes)
    {
        return new FieldDef(name, FieldType.BYTES, 0, maxBytes, 1, NO_PREDICTOR, FieldRole.NONE);
    }

    /**
     * @return true when {@code value} is within {@code min..max}: for a numeric field its range, for text and bytes
     * the length limit.
     */
    public boolean contains(final long value)
    {
        return value >= min && value <= max;
    }
}
