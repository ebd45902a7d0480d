package io.tickwire.codec.control;

/**
 * Server -> client: the join succeeded. Snapshots follow, once per tick.
 *
 * @param sessionId   the server's id of this connection.
 * @param tickRateHz  simulation and snapshot rate of the room.
 * @param entityId    id of the player's own avatar in snapshots.
 * @param room        name of the room joined.
 * @param worldWidth  width of the world in units.
 * @param worldHeight height of the world in units.
 */
public record Welcome(long sessionId, int tickRateHz, int entityId, String room, int worldWidth, int worldHeight)
{
}
