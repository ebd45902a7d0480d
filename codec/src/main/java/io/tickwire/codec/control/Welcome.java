package io.tickwire.codec.control;

import io.tickwire.api.schema.EntitySchema;

/**
 * Server -> client: the join succeeded. Snapshots follow, once per tick.
 *
 * @param sessionId          the server's id of this connection.
 * @param tickRateHz         simulation and snapshot rate of the room.
 * @param entityId           id of the player's own avatar in snapshots.
 * @param room               name of the room joined.
 * @param historyWindowTicks the oldest baseline the server deltas against is this many ticks old: a client keeps
 *                           every snapshot it applied since its last acknowledged baseline, at most this many + 2.
 * @param schema             the fields of every entity, which snapshots encode.
 */
public record Welcome(
    long sessionId, int tickRateHz, int entityId, String room, int historyWindowTicks, EntitySchema schema)
{
}
