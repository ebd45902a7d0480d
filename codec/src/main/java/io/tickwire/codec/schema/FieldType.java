package io.tickwire.codec.schema;

/**
 * How a client should read a field's integer value. On the wire every field is an integer within the field's
 * range; the type only tells a generic client how to present it.
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
    FIXED;

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
}
