package io.tickwire.api;

/**
 * Why a player left a room. Clients see it in the presence LEAVE event; the code is its wire value.
 */
public enum LeaveReason
{
    /** The client sent LEAVE. */
    LEFT(1),
    /** The connection closed without a LEAVE (the client closed it, the network dropped it) or broke the protocol. */
    DISCONNECTED(2),
    /** The game kicked the player. */
    KICKED(3),
    /** The connection sent nothing for the idle timeout. */
    IDLE(4),
    /** The server is shutting down. */
    SERVER_SHUTDOWN(5),
    /**
     * The server closed the room while the player was in it. Reserved: this version closes a room only once it is
     * empty, or at shutdown ({@link #SERVER_SHUTDOWN}).
     */
    ROOM_CLOSED(6);

    private final int code;

    LeaveReason(final int code)
    {
        this.code = code;
    }

    public int code()
    {
        return code;
    }

    /**
     * @return the reason with this wire code, or null.
     */
    public static LeaveReason fromCode(final int code)
    {
        for (final LeaveReason reason : values())
        {
            if (reason.code == code)
            {
                return reason;
            }
        }
        return null;
    }
}
