package io.tickwire.cluster;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.RoomInfo;
import io.tickwire.sim.checkpoint.RoomSnapshot;

/**
 * What a {@link ClusterNode} needs from the server it runs in (net implements it). Every method is called on the
 * {@code tickwire-cluster} thread and must return at once: it may read published state and publish to a ring, never
 * wait for a shard or an event loop.
 */
public interface ClusterHost
{
    /** @return the rooms every shard published last, live ones only (closed rooms are absent) */
    List<RoomInfo> publishedRooms();

    /** @return clients connected to this node */
    int clients();

    /** @return this node's tick lateness, p99 over the last second, ms */
    long latenessP99Ms();

    /**
     * @return true once every shard finished its first drain after {@link ClusterNode#handOver}, or failed: each has
     *         offered the drain checkpoint of every room it had then, so no more come for those rooms (a room a join
     *         opened later, which no sync registered, is not waited for)
     */
    boolean shardsDrained();

    /** @return the games this node hosts */
    GameCatalog catalog();

    /**
     * Asks the room's shard to restore a room from a checkpoint. A room that runs is in {@link #publishedRooms()}
     * before {@code done} completes with true, and stays there until it closes: the node reports it closed as soon
     * as the published rooms leave it out.
     *
     * @param snapshot the decoded checkpoint
     * @param epoch    the fencing epoch the room runs under from now on (published back in its {@link RoomInfo})
     * @param done     completed by the shard: true when the room runs, false when the restore failed
     * @return false when the request could not be queued (ring full): the room is then reported closed
     */
    boolean restore(RoomSnapshot snapshot, long epoch, CompletableFuture<Boolean> done);

    /**
     * Closes rooms this node must no longer run (another node owns them now: fenced). Their clients are told to
     * go back to the matchmaker (NOTICE 12, close 1001).
     *
     * @param names the rooms' names
     */
    void closeRooms(List<String> names);

    /**
     * This node was reaped while alive (a stall longer than the dead-after time, or a partition): every one of its
     * rooms belongs to others now. The host closes all its rooms and, to serve again, starts a new node.
     */
    void onGone();
}
