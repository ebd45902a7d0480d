package io.tickwire.api.schema;

/**
 * How a field's value is carried and presented. Numeric fields ({@link #UINT}, {@link #INT}, {@link #ENUM},
 * {@link #FIXED}) are one integer within the field's range on the wire; the type tells a generic client how to
 * present it. {@link #TEXT} and {@link #BYTES} appear only in message schemas: their range is a length in bytes.
 */
public enum FieldType
{
    /** A non-negative count or amount, for example hit points. */
    UINT,
    /** A signed integer. */
    INT,
    /** A value from a small set, numbered from the field's minimum. */
    ENUM,
    /** A fixed-point quantity: the value divided by the field's steps per unit, for example a position. */
    FIXED,
    /** UTF-8 text of 0..max bytes, without control characters. Messages only. */
    TEXT,
    /** Opaque bytes, 0..max of them. Messages only. */
    BYTES;

    private static final FieldType[] VALUES = values();

    /**
     * @return the type with this wire code, or null when there is none.
     */
    public static FieldType fromCode(final int code)
    {
        return code >= 0 && code < VALUES.length ? VALUES[code] : null;
    }

    public int code()
    {
        return ordinal();
    }

    /**
     * @return true for the types whose value is one integer: every type but {@link #TEXT} and {@link #BYTES}.
     */
    public boolean isNumeric()
    {
        return this != TEXT && this != BYTES;
    }
}
