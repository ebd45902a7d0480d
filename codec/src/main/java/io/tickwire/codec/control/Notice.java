package io.tickwire.codec.control;

import java.util.Objects;

/**
 * Server -> client: a refusal or error. Codes are stable; the text is for humans, except where a code says
 * otherwise. A client treats a code it does not know as an error it cannot act on.
 *
 * @param code   one of the {@code CODE_} constants (u32 on the wire).
 * @param detail a number the code gives meaning to, for example the refused input sequence (u32 on the wire).
 * @param text   0..{@link io.tickwire.codec.WireFormat#MAX_NOTICE_TEXT_LENGTH} UTF-8 bytes.
 */
public record Notice(int code, int detail, String text)
{
    /** The server is overloaded and refused the join; the connection closes with 1013. */
    public static final int CODE_SERVER_BUSY = 1;

    /** The room has no free slot; the connection closes with 1013. */
    public static final int CODE_ROOM_FULL = 2;

    /** An input was refused because the server is overloaded; detail is its sequence; the connection stays open. */
    public static final int CODE_INPUT_REFUSED = 3;

    /** The game refused the join; text is its reason; the connection closes with 4003. */
    public static final int CODE_JOIN_REFUSED = 4;

    /** No room can be created: the type's or the server's room limit is reached; the connection closes with 1013. */
    public static final int CODE_NO_ROOM = 5;

    /** No room of that name exists and the join may not create it; the connection closes with 4003. */
    public static final int CODE_ROOM_NOT_FOUND = 6;

    /** The room is locked; the connection closes with 4003. */
    public static final int CODE_ROOM_LOCKED = 7;

    /** The game kicked the player; text is its reason; the connection closes with 4001. */
    public static final int CODE_KICKED = 8;

    /** The game failed while admitting the player; the connection closes with 1011. */
    public static final int CODE_SERVER_ERROR = 9;

    /** A CREATE join named a room that already exists; the connection closes with 4003. */
    public static final int CODE_ROOM_EXISTS = 10;

    /** The room failed (its game threw on a bounded number of ticks in a row) and was closed; close 1011. */
    public static final int CODE_ROOM_CLOSED = 11;

    /**
     * The server is draining (shutting down or restarting); detail is the suggested delay in milliseconds before
     * reconnecting; the connection closes with 1001.
     */
    public static final int CODE_SERVER_DRAINING = 12;

    /**
     * A resume was refused: the token is unknown, used, expired or another identity's; the connection closes with
     * 4005, and the client may join afresh.
     */
    public static final int CODE_RESUME_REFUSED = 13;

    /** The same identity connected again and its newer connection took the seat; the connection closes with 4004. */
    public static final int CODE_REPLACED = 14;

    public Notice
    {
        Objects.requireNonNull(text, "text");
    }
}
