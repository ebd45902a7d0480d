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
 *                 0..64 UTF-8 bytes. Kept as an unmodifiable, insertion-ordered copy.
 */
public record JoinRequest(String roomType, int mode, String room, String player, Map<String, String> options)
{
    /** Join the room named {@code room}; create it when it does not exist and the type lets clients create rooms. */
    public static final int MODE_NAMED = 0;

    /** Join any open room of the type (unlocked, public, with space), or create one with a generated name. */
    public static final int MODE_ANY = 1;

    /** Create a room: named {@code room} when that name is free, or with a generated name when it is empty. */
    public static final int MODE_CREATE = 2;

    public JoinRequest
    {
        Objects.requireNonNull(roomType, "roomType");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(player, "player");
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
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
}
