package io.tickwire.net.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tickwire.cluster.ClusterRoom;
import io.tickwire.sim.RoomInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One room as {@code GET /rooms} lists it. Private rooms are never listed. Fields that do not apply are left out:
 * a single node lists no {@code node}, and a cluster lists the {@code shard} and {@code entities} of this node's
 * rooms only.
 *
 * @param name             the room's name.
 * @param type             its game type.
 * @param clients          players in it.
 * @param maxClients       players it admits.
 * @param open             whether a join may enter it now: not locked, not full.
 * @param locked           whether its game locked it (clustered: or its node drains).
 * @param shard            the shard that owns it, on its node.
 * @param tick             its last tick (clustered: as last synced, at most about a second old).
 * @param entities         entities at that tick.
 * @param metadata         what its game set (map, mode, score, ...).
 * @param node             clustered: the id of the node running it.
 * @param restoredFromTick the tick of the checkpoint it was restored from, when it was.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RoomListing(
    String name, String type, int clients, int maxClients, boolean open, boolean locked, Integer shard, long tick,
    Integer entities, Map<String, String> metadata, String node, Long restoredFromTick)
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>()
    {
    };

    /**
     * @return the public rooms among {@code rooms} that pass the filters of {@code uri}'s query: {@code type=NAME}
     * and {@code open=true}.
     */
    static List<RoomListing> select(final List<RoomInfo> rooms, final String uri)
    {
        final Filter filter = Filter.of(uri);
        final List<RoomListing> listed = new ArrayList<>();
        for (final RoomInfo room : rooms)
        {
            if (!room.hidden() && filter.passes(room.type(), room.isOpen()))
            {
                listed.add(new RoomListing(room.name(), room.type(), room.clients(), room.maxClients(), room.isOpen(),
                    room.locked(), room.shard(), room.tick(), room.entities(), room.metadata(), null,
                    restoredFrom(room)));
            }
        }
        return listed;
    }

    /**
     * Clustered: the public rooms of the whole cluster that pass the filters of {@code uri}'s query, with the shard
     * and entities of the rooms this node runs.
     *
     * @param cluster the cluster's rooms as the directory listed them.
     * @param local   this node's rooms as its shards last published them.
     */
    static List<RoomListing> select(final List<ClusterRoom> cluster, final List<RoomInfo> local, final String uri)
    {
        final Filter filter = Filter.of(uri);
        final Map<String, RoomInfo> here = new HashMap<>();
        for (final RoomInfo room : local)
        {
            here.put(room.name(), room);
        }
        final List<RoomListing> listed = new ArrayList<>();
        for (final ClusterRoom room : cluster)
        {
            final boolean open = !room.locked() && room.clients() < room.maxClients();
            if (!room.hidden() && filter.passes(room.type(), open))
            {
                final RoomInfo mine = here.get(room.name());
                listed.add(new RoomListing(room.name(), room.type(), room.clients(), room.maxClients(), open,
                    room.locked(), mine == null ? null : mine.shard(), room.tick(),
                    mine == null ? null : mine.entities(), metadataOf(room.metadataJson()), room.node(),
                    room.restoredFromTick() > 0 ? room.restoredFromTick() : null));
            }
        }
        return listed;
    }

    private static Long restoredFrom(final RoomInfo room)
    {
        return room.restoredFromTick() == RoomInfo.NOT_RESTORED ? null : room.restoredFromTick();
    }

    /**
     * @return the metadata a node wrote to the directory; empty when it is not an object of strings.
     */
    private static Map<String, String> metadataOf(final String json)
    {
        if (json == null || json.isEmpty())
        {
            return Map.of();
        }
        try
        {
            return JSON.readValue(json, METADATA);
        }
        catch (final IOException ex)
        {
            return Map.of();
        }
    }

    /**
     * The query's filters.
     *
     * @param type     the game type kept, or null for every type.
     * @param openOnly whether only rooms a join may enter now are kept.
     */
    private record Filter(String type, boolean openOnly)
    {
        static Filter of(final String uri)
        {
            final Map<String, List<String>> query = new QueryStringDecoder(uri).parameters();
            return new Filter(first(query, "type"), "true".equals(first(query, "open")));
        }

        boolean passes(final String roomType, final boolean open)
        {
            return (type == null || type.equals(roomType)) && (!openOnly || open);
        }

        private static String first(final Map<String, List<String>> query, final String key)
        {
            final List<String> values = query.get(key);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }
}
