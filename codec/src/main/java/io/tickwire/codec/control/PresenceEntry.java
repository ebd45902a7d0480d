package io.tickwire.codec.control;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a PRESENCE message, as a client decodes it.
 *
 * @param op          {@link #OP_JOIN}, {@link #OP_LEAVE} or {@link #OP_UPDATE}.
 * @param playerId    the player's id in the room, 1 or more.
 * @param entityId    the player's avatar in snapshots, or {@link Welcome#NO_ENTITY} (always for a leave).
 * @param name        the player's name, 0..32 UTF-8 bytes ("" for a leave).
 * @param metadata    the player's metadata, 0..8 entries in wire order (empty for a leave); an unmodifiable copy.
 * @param leaveReason for a leave, the {@link io.tickwire.api.LeaveReason} code (1..6); 0 otherwise.
 */
public record PresenceEntry(
    int op, int playerId, int entityId, String name, Map<String, String> metadata, int leaveReason)
{
    /** A player is in the room: the initial list, or one who joined. */
    public static final int OP_JOIN = 1;

    /** A player left the room. */
    public static final int OP_LEAVE = 2;

    /** A player's entity or metadata changed: the entry carries all of them again. */
    public static final int OP_UPDATE = 3;

    public PresenceEntry
    {
        Objects.requireNonNull(name, "name");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
