package io.tickwire.cluster;

/**
 * One room of the cluster-wide listing, as Redis had it at the last refresh. Immutable.
 *
 * @param name             the room's name
 * @param node             the node running it
 * @param type             its game type
 * @param clients          seated clients
 * @param maxClients       seats
 * @param locked           locked by the game (or its node drains)
 * @param hidden           private: not offered to "any" matchmakes
 * @param metadataJson     the game's metadata as a JSON object
 * @param tick             the room's tick at its last sync
 * @param restoredFromTick the checkpoint tick it was restored from, -1 when never restored
 */
public record ClusterRoom(
    String name, String node, String type, int clients, int maxClients, boolean locked, boolean hidden,
    String metadataJson, long tick, long restoredFromTick)
{
}
