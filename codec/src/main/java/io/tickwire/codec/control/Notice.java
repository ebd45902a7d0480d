package io.tickwire.codec.control;

/**
 * Server -> client: a refusal or error. Codes are stable; the text is for humans.
 *
 * @param code   one of the {@code CODE_} constants.
 * @param detail a number the code gives meaning to, for example the refused input sequence.
 * @param text   a short explanation, at most {@link io.tickwire.codec.WireFormat#MAX_NAME_LENGTH} * 4 bytes.
 */
public record Notice(int code, int detail, String text)
{
    /** The server is overloaded and refused the message; the connection stays open unless said otherwise. */
    public static final int CODE_SERVER_BUSY = 1;

    /** The named room has no free slot. */
    public static final int CODE_ROOM_FULL = 2;

    /** An input was refused because the server is overloaded; detail is its sequence. */
    public static final int CODE_INPUT_REFUSED = 3;

    /** No more rooms can be created. */
    public static final int CODE_NO_ROOM = 5;
}
