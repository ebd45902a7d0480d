package io.tickwire.net.pipeline;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.tickwire.sim.RoomInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One room as {@code GET /rooms} lists it. Private rooms are never listed.
 *
 * @param name       the room's name.
 * @param type       its game type.
 * @param clients    players in it.
 * @param maxClients players it admits.
 * @param open       whether a join may enter it now: not locked, not full.
 * @param locked     whether its game locked it.
 * @param shard      the shard that owns it.
 * @param tick       its last tick.
 * @param entities   entities at that tick.
 * @param metadata   what its game set (map, mode, score, ...).
 */
record RoomListing(
    String name, String type, int clients, int maxClients, boolean open, boolean locked, int shard, long tick,
    int entities, Map<String, String> metadata)
{
    /**
     * @return the public rooms among {@code rooms} that pass the filters of {@code uri}'s query: {@code type=NAME}
     * and {@code open=true}.
     */
    static List<RoomListing> select(final List<RoomInfo> rooms, final String uri)
    {
        final Map<String, List<String>> query = new QueryStringDecoder(uri).parameters();
        final String type = first(query, "type");
        final boolean openOnly = "true".equals(first(query, "open"));
        final List<RoomListing> listed = new ArrayList<>();
        for (final RoomInfo room : rooms)
        {
            if (!room.hidden() && (type == null || type.equals(room.type())) && (!openOnly || room.isOpen()))
            {
                listed.add(new RoomListing(room.name(), room.type(), room.clients(), room.maxClients(), room.isOpen(),
                    room.locked(), room.shard(), room.tick(), room.entities(), room.metadata()));
            }
        }
        return listed;
    }

    private static String first(final Map<String, List<String>> query, final String key)
    {
        final List<String> values = query.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
