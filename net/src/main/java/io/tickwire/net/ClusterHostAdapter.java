package io.tickwire.net;

import io.tickwire.cluster.ClusterHost;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.RoomInfo;
import io.tickwire.sim.ShardAgent;
import io.tickwire.sim.ShardRouter;
import io.tickwire.sim.checkpoint.RoomSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server as its {@link io.tickwire.cluster.ClusterNode} sees it: what the shards published, the load, and the
 * requests the cluster makes of them (restore a room on its shard's ring, close the sessions of rooms that moved).
 * Called on the {@code tickwire-cluster} thread only; reads published state and publishes to rings, never waits.
 */
final class ClusterHostAdapter implements ClusterHost
{
    private final ShardAgent[] shards;
    private final ShardRouter router;
    private final Gateway gateway;
    private final NetCounters counters;
    private final Runnable onGone;
    private final long[] lastLatenessTotalNs;
    private final long[] lastCycles;

    /**
     * @param onGone what to do, besides closing every session, when Redis reaped this node while it was alive.
     */
    ClusterHostAdapter(
        final ShardAgent[] shards, final ShardRouter router, final Gateway gateway, final NetCounters counters,
        final Runnable onGone)
    {
        this.shards = shards.clone();
        this.router = router;
        this.gateway = gateway;
        this.counters = counters;
        this.onGone = onGone;
        this.lastLatenessTotalNs = new long[shards.length];
        this.lastCycles = new long[shards.length];
    }

    public List<RoomInfo> publishedRooms()
    {
        final List<RoomInfo> rooms = new ArrayList<>();
        for (final ShardAgent shard : shards)
        {
            rooms.addAll(shard.publishedRooms());
        }
        return rooms;
    }

    public int clients()
    {
        return (int)Math.min(Integer.MAX_VALUE, counters.activeSessions());
    }

    /**
     * The mean lateness of tick starts since the previous call, of the latest shard, in milliseconds. A mean from the
     * shards' exact totals, not the p99 of their histograms: sampling those here would take the interval from the
     * metrics scrape, which owns it. Between heartbeats (500 ms) a shard that falls behind raises it all the same.
     */
    public long latenessP99Ms()
    {
        long latestNs = 0;
        for (int shard = 0; shard < shards.length; shard++)
        {
            final long totalNs = shards[shard].tickTimings().latenessTotalNs();
            final long cycles = shards[shard].tickTimings().cycleCount();
            final long newCycles = cycles - lastCycles[shard];
            if (newCycles > 0)
            {
                latestNs = Math.max(latestNs, (totalNs - lastLatenessTotalNs[shard]) / newCycles);
            }
            lastLatenessTotalNs[shard] = totalNs;
            lastCycles[shard] = cycles;
        }
        return TimeUnit.NANOSECONDS.toMillis(latestNs);
    }

    public GameCatalog catalog()
    {
        return gateway.catalog();
    }

    public boolean restore(final RoomSnapshot snapshot, final long epoch, final CompletableFuture<Boolean> done)
    {
        final int shard = router.shardOf(snapshot.room());
        return !gateway.isShardFailed(shard) && shards[shard].requestRestore(snapshot, epoch, done);
    }

    /**
     * Closes the sessions of rooms another node owns now; the shard disposes of each room once its seats have emptied
     * (the sim has no request to close one room from outside).
     */
    public void closeRooms(final List<String> names)
    {
        gateway.closeRoomSessions(names);
    }

    public void onGone()
    {
        gateway.closeRoomSessions(null);
        onGone.run();
    }
}
