package io.tickwire.codec.control;

import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.api.schema.MessageType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Server -> client: the join succeeded. The initial presence list (PRESENCE messages) and then snapshots, once per
 * tick, follow.
 *
 * @param sessionId          the server's id of this connection.
 * @param tickRateHz         simulation and snapshot rate of the room, 1..1024.
 * @param playerId           the player's id in the room, 1 or more; presence entries name players by it.
 * @param entityId           id of the player's own avatar in snapshots, or {@link #NO_ENTITY}.
 * @param roomType           the room's game type.
 * @param room               name of the room joined, 1..32 UTF-8 bytes.
 * @param historyWindowTicks how old, in ticks, a snapshot the server deltas against may be (1..65536): a client
 *                           keeps at most this many snapshots as possible baselines.
 * @param entitySchema       the fields of every entity, which snapshots encode.
 * @param inputSchema        the fields of every INPUT.
 * @param messageTypes       the game's message types, 0..127 of them.
 * @param roomMetadata       0..8 entries: keys 1..32 UTF-8 bytes, values 0..64. Kept as an unmodifiable,
 *                           insertion-ordered copy.
 * @param presenceCount      how many players the initial presence list that follows holds, the joiner included;
 *                           0 on a resume, which sends no list (the stream goes on where the client left it).
 * @param resumeToken        the token to resume this seat with after a drop, new in every WELCOME; null when the
 *                           server does not keep seats for dropped connections.
 */
public record Welcome(
    long sessionId,
    int tickRateHz,
    int playerId,
    int entityId,
    String roomType,
    String room,
    int historyWindowTicks,
    EntitySchema entitySchema,
    InputSchema inputSchema,
    List<MessageType> messageTypes,
    Map<String, String> roomMetadata,
    int presenceCount,
    ResumeToken resumeToken)
{
    /** {@link #entityId()} of a player with no avatar. */
    public static final int NO_ENTITY = -1;

    public Welcome
    {
        Objects.requireNonNull(roomType, "roomType");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(entitySchema, "entitySchema");
        Objects.requireNonNull(inputSchema, "inputSchema");
        messageTypes = List.copyOf(messageTypes);
        roomMetadata = Collections.unmodifiableMap(new LinkedHashMap<>(roomMetadata));
    }

    /**
     * A welcome without a resume token.
     */
    public Welcome(
        final long sessionId, final int tickRateHz, final int playerId, final int entityId, final String roomType,
        final String room, final int historyWindowTicks, final EntitySchema entitySchema,
        final InputSchema inputSchema, final List<MessageType> messageTypes, final Map<String, String> roomMetadata,
        final int presenceCount)
    {
        this(sessionId, tickRateHz, playerId, entityId, roomType, room, historyWindowTicks, entitySchema,
            inputSchema, messageTypes, roomMetadata, presenceCount, null);
    }
}
