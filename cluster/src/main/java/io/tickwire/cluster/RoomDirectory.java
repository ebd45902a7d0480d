package io.tickwire.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster-wide views this node caches, refreshed by the cluster thread once per listing period: the rooms (for
 * {@code /rooms}) and the game types live nodes host (for the matchmaker). Any thread reads; the cluster thread
 * writes (volatile snapshots).
 */
final class RoomDirectory implements RoomsListing
{
    /** A type as a hosting node advertises it. */
    record HostedType(int maxClients, boolean clientsMayCreateRooms)
    {
    }

    private volatile List<ClusterRoom> rooms = List.of();
    private volatile long refreshedAtMs;
    private volatile Map<String, HostedType> types = Map.of();

    public List<ClusterRoom> rooms()
    {
        return rooms;
    }

    public long refreshedAtMs()
    {
        return refreshedAtMs;
    }

    /** @return the type as some live node hosts it, or null */
    HostedType hostedType(final String type)
    {
        return types.get(type);
    }

    void onRooms(final List<ClusterRoom> rooms, final long nowMs)
    {
        this.rooms = rooms;
        this.refreshedAtMs = nowMs;
    }

    /** @param gamesByNode each live node's games field, {@code ,type/max/create,...} */
    void onNodeGames(final Map<String, String> gamesByNode)
    {
        final Map<String, HostedType> parsed = new HashMap<>();
        for (final String games : gamesByNode.values())
        {
            for (final String entry : games.split(","))
            {
                final String[] parts = entry.split("/");
                if (parts.length == 3)
                {
                    final long max = RedisReplies.parseLong(parts[1], 0);
                    if (max > 0 && max <= Integer.MAX_VALUE)
                    {
                        parsed.putIfAbsent(parts[0], new HostedType((int)max, "1".equals(parts[2])));
                    }
                }
            }
        }
        types = Map.copyOf(parsed);
    }

    /** @return the games field of a node hosting these types: {@code ,type/max/create,...} */
    static String gamesField(final Map<String, HostedType> hosted)
    {
        final StringBuilder field = new StringBuilder(",");
        hosted.forEach((name, type) -> field.append(name).append('/').append(type.maxClients()).append('/')
            .append(type.clientsMayCreateRooms() ? '1' : '0').append(','));
        return field.toString();
    }
}
