package io.tickwire.bots;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One {@code POST /matchmake} body: {@code {"type","room","options","name","rejoin"}} (docs/SCALE.md).
 *
 * @param roomType the room type, e.g. {@code arena}.
 * @param room     a room name, {@code any} (an open room) or {@code new}.
 * @param name     the player name.
 * @param rejoin   the previous reservation, to be seated again by identity after a re-home; null for a first join.
 */
public record MatchRequest(String roomType, String room, String name, String rejoin)
{
    /** The {@code room} value that asks for any open room of the type. */
    public static final String ANY_ROOM = "any";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public MatchRequest
    {
        if (roomType == null || room == null || name == null)
        {
            throw new IllegalArgumentException("room type, room and name must not be null");
        }
    }

    /**
     * @return the request body as compact JSON; {@code rejoin} only when set, {@code options} empty.
     */
    public String toJson()
    {
        final ObjectNode body = MAPPER.createObjectNode();
        body.put("type", roomType);
        body.put("room", room);
        body.putObject("options");
        body.put("name", name);
        if (rejoin != null)
        {
            body.put("rejoin", rejoin);
        }
        return body.toString();
    }
}
