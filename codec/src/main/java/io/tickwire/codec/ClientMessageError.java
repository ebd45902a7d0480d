package io.tickwire.codec;

/**
 * Why a client message was rejected. Each reason has its own counter on the server; every one of them closes
 * the offending connection. New reasons are added at the end: the ordinal of a reason is stable.
 */
public enum ClientMessageError
{
    /** The message is valid. */
    NONE,
    EMPTY,
    UNKNOWN_TYPE,
    BAD_LENGTH,
    BAD_VALUE,
    BAD_BODY,
    UNEXPECTED,
    FRAGMENTED,
    /**
     * A frame refused at the WebSocket level: too big, unmasked, reserved bits or opcodes, a fragmented or oversized
     * control frame, a bad length, or a close frame with a one-byte body, a status code RFC 6455 does not allow or a
     * reason that is not UTF-8.
     */
    BAD_FRAME,
    /** More frames (messages and control frames) than the connection's budget allows. */
    RATE_LIMITED,
    TEXT_FRAME,
    /** A JOIN for a room type the server does not host. */
    UNKNOWN_ROOM_TYPE,
    /** A JOIN whose options the game type does not declare, or whose values its declarations refuse. */
    BAD_JOIN_OPTIONS,
    /** A MESSAGE of a type the game does not declare, or one only the room may send. */
    UNKNOWN_MESSAGE_TYPE,
    /** A MESSAGE whose fields break the type's schema: range, length, UTF-8, control characters, trailing bytes. */
    BAD_MESSAGE,
    /** A MESSAGE whose sequence is not the previous one plus one (the first is 1). */
    BAD_MESSAGE_SEQUENCE,
    /** More MESSAGEs of one type than its rate and burst allow. */
    MESSAGE_RATE_LIMITED,
    /** An INPUT whose values break the game's input schema: range, count, trailing bytes. */
    BAD_INPUT
}
