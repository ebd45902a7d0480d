package io.tickwire.net;

import io.tickwire.cluster.ClusterHost;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.RoomInfo;
import io.tickwire.sim.ShardAgent;
import io.tickwire.sim.ShardRouter;
import io.tickwire.sim.checkpoint.RoomSnapshot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The server as its {@link io.tickwire.cluster.ClusterNode} sees it: what the shards published, the load, and the
 * requests the cluster makes of them (restore a room on its shard's ring, close the sessions of rooms that moved).
 * Called on the {@code tickwire-cluster} thread only (a node that joins again has a thread of its own, started after
 * the last one stopped); reads published state and publishes to rings, never waits. A room this node must give up
 * (fenced by another node's epoch, or every room when it was reaped) keeps running on its shard until its seats
 * empty, as the sim has no request to close one room from outside: its sessions are closed at once, and the
 * cluster no longer sees it.
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
    private final Map<String, Long> givenUp = new ConcurrentHashMap<>();

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

    /**
     * The rooms the shards published, less the rooms this node gave up (fenced, or all of them when it was reaped)
     * while they run on locally until their seats empty: the cluster neither reports them nor waits for them.
     */
    public List<RoomInfo> publishedRooms()
    {
        final List<RoomInfo> rooms = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        for (final ShardAgent shard : shards)
        {
            for (final RoomInfo room : shard.publishedRooms())
            {
                names.add(room.name());
                final Long givenUpEpoch = givenUp.get(room.name());
                if (givenUpEpoch == null || givenUpEpoch != room.epoch())
                {
                    rooms.add(room);
                }
            }
        }
        givenUp.keySet().retainAll(names);
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

    public boolean shardsDrained()
    {
        for (final ShardAgent shard : shards)
        {
            if (!shard.isDrainedOrFailed())
            {
                return false;
            }
        }
        return true;
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
     * Closes the sessions of rooms another node owns now (see the class comment).
     */
    public void closeRooms(final List<String> names)
    {
        giveUp(names);
        gateway.closeRoomSessions(names);
    }

    public void onGone()
    {
        giveUp(null);
        gateway.closeRoomSessions(null);
        onGone.run();
    }

    /**
     * Forgets, for the cluster, the rooms named (every room for null) at the epoch they run under now.
     */
    private void giveUp(final List<String> names)
    {
        for (final ShardAgent shard : shards)
        {
            for (final RoomInfo room : shard.publishedRooms())
            {
                if (names == null || names.contains(room.name()))
                {
                    givenUp.put(room.name(), room.epoch());
                }
            }
        }
    }
}
