package io.tickwire.codec;

/**
 * WebSocket close status codes (RFC 6455, section 7.4.1) the server uses, and what each means here. Codes
 * 4000..4999 are private to Tickwire.
 */
public final class CloseCodes
{
    /** The client left, or the server is shutting down. */
    public static final int NORMAL = 1000;

    /** The server is going away, or the connection was idle too long. */
    public static final int GOING_AWAY = 1001;

    /** A message broke the protocol: unknown type, wrong length, value out of range, wrong state. */
    public static final int PROTOCOL_ERROR = 1002;

    /** A text frame: Tickwire speaks binary frames only. */
    public static final int UNSUPPORTED_DATA = 1003;

    /** The client broke a policy, such as sending faster than its rate limit. */
    public static final int POLICY_VIOLATION = 1008;

    /** A message larger than the protocol allows. */
    public static final int MESSAGE_TOO_BIG = 1009;

    /** The server failed: the game threw while admitting the player. */
    public static final int INTERNAL_ERROR = 1011;

    /** The server is overloaded, the room is full or no room can be created: try again later. */
    public static final int TRY_AGAIN_LATER = 1013;

    /** The game kicked the player. */
    public static final int KICKED = 4001;

    /** The client left too many of the server's stream messages unacknowledged. */
    public static final int MESSAGE_BACKLOG = 4002;

    /** The join was refused: by the game, or the room was not found, is locked, or already exists. */
    public static final int JOIN_REFUSED = 4003;

    /** The same identity connected again, and the newer connection took the seat (NOTICE 14). */
    public static final int REPLACED = 4004;

    /** A resume was refused: the token is unknown, used, expired or belongs to another identity (NOTICE 13). */
    public static final int RESUME_REFUSED = 4005;

    /** The client stopped reading: its snapshots stayed unsent past the write deadline. */
    public static final int NOT_READING = 4006;

    /**
     * Clustered: the JOIN does not match the seat reservation the connection was opened with (another mode, type or
     * room), or a connection opened to resume sent something other than a RESUME.
     */
    public static final int RESERVATION_MISMATCH = 4008;

    private CloseCodes()
    {
    }
}
