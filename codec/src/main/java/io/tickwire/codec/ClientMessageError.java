package io.tickwire.codec;

/**
 * Why a client message was rejected. Each reason has its own counter on the server; every one of them closes
 * the offending connection.
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
    /** A frame Netty's WebSocket decoder refused: too big, unmasked, reserved bits or opcodes. */
    BAD_FRAME,
    /** More messages than the connection's rate limit allows. */
    RATE_LIMITED,
    TEXT_FRAME
}
