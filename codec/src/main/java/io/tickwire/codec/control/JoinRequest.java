package io.tickwire.codec.control;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Client -> server: join a room of type {@code roomType}.
 *
 * @param roomType the game type's name: 1..32 characters of {@code [a-z0-9_-]}, starting with a letter or digit.
 * @param mode     {@link #MODE_NAMED}, {@link #MODE_ANY} or {@link #MODE_CREATE}.
 * @param room     the room's name, 0..32 UTF-8 bytes: not empty for {@link #MODE_NAMED}, empty for
 *                 {@link #MODE_ANY}, either for {@link #MODE_CREATE} (empty: the server generates a name).
 * @param player   the player's display name, 0..32 UTF-8 bytes.
 * @param options  0..8 join options in the order given: keys 1..32 characters of {@code [a-zA-Z0-9_.-]}, values
 *                 0..64 UTF-8 bytes. Kept as an unmodifiable, insertion-ordered copy. None for {@link #MODE_RESUME}.
 * @param resumeToken {@link #MODE_RESUME} only: the token of the last WELCOME; null for the other modes.
 * @param messageAck  {@link #MODE_RESUME} only: the newest stream message (room MESSAGE or PRESENCE) the client
 *                    received, every one before it received too; the server resends those after it. 0 otherwise.
 */
public record JoinRequest(
    String roomType, int mode, String room, String player, Map<String, String> options, ResumeToken resumeToken,
    int messageAck)
{
    /** Join the room named {@code room}; create it when it does not exist and the type lets clients create rooms. */
    public static final int MODE_NAMED = 0;

    /** Join any open room of the type (unlocked, public, with space), or create one with a generated name. */
    public static final int MODE_ANY = 1;

    /** Create a room: named {@code room} when that name is free, or with a generated name when it is empty. */
    public static final int MODE_CREATE = 2;

    /** Take back the seat held for a dropped connection, in the room named {@code room}, with its resume token. */
    public static final int MODE_RESUME = 3;

    public JoinRequest
    {
        Objects.requireNonNull(roomType, "roomType");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(player, "player");
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        if ((mode == MODE_RESUME) != (resumeToken != null) || (mode != MODE_RESUME && messageAck != 0))
        {
            throw new IllegalArgumentException("a resume token and message ack go with MODE_RESUME, and only with it");
        }
    }

    /**
     * A NAMED, ANY or CREATE join.
     */
    public JoinRequest(
        final String roomType, final int mode, final String room, final String player,
        final Map<String, String> options)
    {
        this(roomType, mode, room, player, options, null, 0);
    }

    /**
     * @return a join of the room named {@code room}, without options.
     */
    public static JoinRequest named(final String roomType, final String room, final String player)
    {
        return new JoinRequest(roomType, MODE_NAMED, room, player, Map.of());
    }

    /**
     * @return a join of any open room of the type, without options.
     */
    public static JoinRequest any(final String roomType, final String player)
    {
        return new JoinRequest(roomType, MODE_ANY, "", player, Map.of());
    }

    /**
     * @return a resume of the seat the token of the last WELCOME holds in {@code room}, the client having received
     * the stream up to {@code messageAck}.
     */
    public static JoinRequest resume(
        final String roomType, final String room, final ResumeToken token, final int messageAck)
    {
        return new JoinRequest(roomType, MODE_RESUME, room, "", Map.of(), Objects.requireNonNull(token), messageAck);
    }
}
