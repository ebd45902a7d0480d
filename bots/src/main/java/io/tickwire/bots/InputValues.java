package io.tickwire.bots;

import io.tickwire.api.schema.InputSchema;

/**
 * Writes a brain's intentions into the values of an input, by field of the welcome's {@link InputSchema}: every value
 * is clamped into its field's range, and a field the schema lacks ({@link #ABSENT}) is skipped, so a brain works
 * with any schema and a schema without the fields a brain knows gets the defaults. Stateless, allocation free.
 */
final class InputValues
{
    /** Index of a field the schema does not have. */
    static final int ABSENT = -1;

    private InputValues()
    {
    }

    /**
     * Sets every value to 0, or to the nearest end of its field's range when 0 is outside it.
     */
    static void reset(final InputSchema schema, final int[] values)
    {
        for (int i = 0, count = schema.fieldCount(); i < count; i++)
        {
            values[i] = clamp(schema, i, 0);
        }
    }

    /**
     * Sets a field to {@code value}, clamped into its range; does nothing for {@link #ABSENT}.
     */
    static void put(final InputSchema schema, final int[] values, final int field, final long value)
    {
        if (field != ABSENT)
        {
            values[field] = clamp(schema, field, value);
        }
    }

    /**
     * Sets a move axis: {@code move} in {@code -MAX_MOVE..MAX_MOVE} scaled so that full speed either way reaches the
     * field's max or min, and 0 stays 0 (clamped when 0 is outside the range).
     */
    static void putMove(final InputSchema schema, final int[] values, final int field, final int move)
    {
        if (field != ABSENT)
        {
            final long end = move >= 0 ? schema.max(field) : -(long)schema.min(field);
            put(schema, values, field, Math.round((double)move * end / BotScript.MAX_MOVE));
        }
    }

    /**
     * Sets an angle, in radians from the x axis toward the y axis. A field whose range is signed takes the angle in
     * {@code -pi..pi} with pi at its max; an unsigned one takes the fraction of a full turn, {@code 0..2 pi}, over its
     * range.
     */
    static void putAngle(final InputSchema schema, final int[] values, final int field, final double radians)
    {
        if (field != ABSENT)
        {
            final int min = schema.min(field);
            final int max = schema.max(field);
            if (min < 0)
            {
                put(schema, values, field, Math.round(radians / Math.PI * max));
            }
            else
            {
                final double turn = radians / (2 * Math.PI);
                put(schema, values, field, min + Math.round((turn - Math.floor(turn)) * ((long)max - min)));
            }
        }
    }

    private static int clamp(final InputSchema schema, final int field, final long value)
    {
        return (int)Math.max(schema.min(field), Math.min(schema.max(field), value));
    }
}
