package io.tickwire.sim;

import io.tickwire.api.GameType;

/**
 * A room the server opens at start and keeps while it runs (a lobby, a demo room).
 *
 * @param type the room's game type.
 * @param name the room's name.
 */
public record PinnedRoom(GameType type, String name)
{
}
