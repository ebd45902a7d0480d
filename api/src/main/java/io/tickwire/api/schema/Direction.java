package io.tickwire.api.schema;

/**
 * Who may send a message type.
 */
public enum Direction
{
    /** Only clients send it; the game receives it in {@code Game.onMessage}. */
    CLIENT_TO_ROOM(1),
    /** Only the room sends it, to one, some or all of its players. */
    ROOM_TO_CLIENT(2),
    /** Both. */
    BOTH(3);

    private final int code;

    Direction(final int code)
    {
        this.code = code;
    }

    /**
     * @return the wire code: bit 0 = clients may send it, bit 1 = the room may send it.
     */
    public int code()
    {
        return code;
    }

    /**
     * @return the direction with this wire code, or null.
     */
    public static Direction fromCode(final int code)
    {
        for (final Direction direction : values())
        {
            if (direction.code == code)
            {
                return direction;
            }
        }
        return null;
    }

    public boolean clientMaySend()
    {
        return (code & 1) != 0;
    }

    public boolean roomMaySend()
    {
        return (code & 2) != 0;
    }
}
