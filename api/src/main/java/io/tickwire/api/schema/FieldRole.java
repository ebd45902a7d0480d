package io.tickwire.api.schema;

/**
 * What the server uses a field for beyond sending it. Interest management finds an entity's position through
 * the fields with the position roles.
 */
public enum FieldRole
{
    NONE,
    POSITION_X,
    POSITION_Y;

    private static final FieldRole[] VALUES = values();

    /**
     * @return the role with this wire code, or null when there is none.
     */
    public static FieldRole fromCode(final int code)
    {
        return code >= 0 && code < VALUES.length ? VALUES[code] : null;
    }

    public int code()
    {
        return ordinal();
    }
}
