package io.tickwire.sim;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * The clients of one shard's rooms by session id, so an event from the ring finds its client. Shard thread only.
 */
final class ShardClients
{
    private final Long2ObjectHashMap<RoomClient> bySession = new Long2ObjectHashMap<>();

    RoomClient get(final long sessionId)
    {
        return bySession.get(sessionId);
    }

    void put(final RoomClient client)
    {
        bySession.put(client.link.sessionId(), client);
    }

    /**
     * Forgets a client leaving its room; events from its session are then counted as without client.
     */
    void forget(final RoomClient client)
    {
        if (bySession.get(client.link.sessionId()) == client)
        {
            bySession.remove(client.link.sessionId());
        }
    }
}
