package io.tickwire.codec;

/**
 * WebSocket close status codes (RFC 6455, section 7.4.1) the server uses, and what each means here.
 */
public final class CloseCodes
{
    /** The client left, or the server is shutting down. */
    public static final int NORMAL = 1000;

    /** The server is going away. */
    public static final int GOING_AWAY = 1001;

    /** A message broke the protocol: unknown type, wrong length, value out of range, wrong state. */
    public static final int PROTOCOL_ERROR = 1002;

    /** A text frame: Tickwire speaks binary frames only. */
    public static final int UNSUPPORTED_DATA = 1003;

    /** A message larger than the protocol allows. */
    public static final int MESSAGE_TOO_BIG = 1009;

    /** The client broke a policy, such as sending faster than its rate limit. */
    public static final int POLICY_VIOLATION = 1008;

    /** The server is overloaded or the room is full: try again later. */
    public static final int TRY_AGAIN_LATER = 1013;

    private CloseCodes()
    {
    }
}
