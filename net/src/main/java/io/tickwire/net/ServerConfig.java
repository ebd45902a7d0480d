package io.tickwire.net;

import io.tickwire.sim.ShardConfig;
import io.tickwire.sim.arena.ArenaConfig;

import java.util.List;

/**
 * Settings of a server, fixed at start.
 *
 * @param host                 address to bind.
 * @param port                 port to bind, 0 for an ephemeral one.
 * @param ioThreads            Netty event loops for client connections.
 * @param shards               simulation shard threads.
 * @param pinnedRooms          rooms created at start and kept while the server runs (the demo room).
 * @param idleTimeoutSeconds   a connection that sends nothing for this long is closed.
 * @param writeBufferLowBytes  a non-writable connection becomes writable again below this many queued bytes.
 * @param writeBufferHighBytes above this many queued bytes a connection is not writable and misses snapshots.
 * @param maxMessagesPerSecond messages a connection may send per second (and in a burst); more close it.
 * @param shard                settings of every shard.
 * @param arena                the demo game's parameters.
 */
public record ServerConfig(
    String host,
    int port,
    int ioThreads,
    int shards,
    List<String> pinnedRooms,
    int idleTimeoutSeconds,
    int writeBufferLowBytes,
    int writeBufferHighBytes,
    int maxMessagesPerSecond,
    ShardConfig shard,
    ArenaConfig arena)
{
    public ServerConfig
    {
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port must be in 0..65535: " + port);
        }
        if (ioThreads < 1 || shards < 1)
        {
            throw new IllegalArgumentException("ioThreads and shards must be positive");
        }
        if (idleTimeoutSeconds < 1)
        {
            throw new IllegalArgumentException("idleTimeoutSeconds must be positive: " + idleTimeoutSeconds);
        }
        if (writeBufferLowBytes < 1 || writeBufferHighBytes < writeBufferLowBytes)
        {
            throw new IllegalArgumentException("need 0 < writeBufferLowBytes <= writeBufferHighBytes");
        }
        if (maxMessagesPerSecond < 1)
        {
            throw new IllegalArgumentException("maxMessagesPerSecond must be positive: " + maxMessagesPerSecond);
        }
        if (arena.npcsPerRoom() + shard.maxClientsPerRoom() > shard.maxEntitiesPerRoom())
        {
            throw new IllegalArgumentException("npcs per room + max clients per room (" +
                (arena.npcsPerRoom() + shard.maxClientsPerRoom()) + ") exceed max entities per room (" +
                shard.maxEntitiesPerRoom() + ")");
        }
        pinnedRooms = List.copyOf(pinnedRooms);
    }
}
