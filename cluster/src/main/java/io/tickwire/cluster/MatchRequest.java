package io.tickwire.cluster;

import java.util.Map;
import java.util.Objects;

import io.tickwire.api.Identity;

/**
 * One {@code POST /matchmake}. Immutable.
 *
 * @param type     the room's game type
 * @param room     {@link #ANY} (the fullest open room, else a new one), {@link #NEW}, or a room name
 * @param options  the join options, already validated by the caller against the type's {@code JoinOption}s
 * @param name     the display name wanted, or null (then the bearer's name, else the subject)
 * @param identity the verified bearer token's identity, or null when tokens are not required and none was sent
 * @param rejoin   the previous reservation token proving an anonymous subject (and asking for the seat back when
 *                 it names the same room), or null
 */
public record MatchRequest(
    String type, String room, Map<String, String> options, String name, Identity identity, String rejoin)
{
    /** {@link #room()} asking for the fullest open room of the type, or a new one when none is open. */
    public static final String ANY = "any";
    /** {@link #room()} asking for a new room. */
    public static final String NEW = "new";

    public MatchRequest
    {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(room, "room");
        options = Map.copyOf(options);
    }
}
