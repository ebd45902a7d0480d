package io.tickwire.codec.control;

/**
 * Client -> server: join the room named {@code room}, or any room with space when it is empty.
 *
 * @param room   room name, at most {@link io.tickwire.codec.WireFormat#MAX_NAME_LENGTH} UTF-8 bytes; "" for any.
 * @param player display name of the player, same limit.
 */
public record JoinRequest(String room, String player)
{
    public static final String ANY_ROOM = "";
}
