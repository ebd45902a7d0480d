package io.tickwire.cluster;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tickwire.cluster.RedisDirectory.Claim;
import io.tickwire.sim.checkpoint.CheckpointCodec;
import io.tickwire.sim.checkpoint.CheckpointFormatException;
import io.tickwire.sim.checkpoint.RoomSnapshot;

/**
 * Restores here the rooms a reaper (or a draining node) assigned to this node (design §5 steps 2-3):
 * {@code claim.lua} -> {@link CheckpointCodec#read} -> {@link ClusterHost#restore}. A failure at any step reports
 * the room closed under its new epoch, which drops it and its checkpoint; a room that runs is handed to
 * {@link RoomSync}, which reports it closed when it closes, even before any sync saw it live. Every heartbeat
 * answers the rooms still assigned here (until the room is synced live, dropped or moved), so a lost reply loses no
 * room; a room is claimed once while it stays assigned, and again only after a claim Redis did not answer. Cluster
 * thread only.
 */
final class RehomeRestorer
{
    private static final Logger LOG = LoggerFactory.getLogger(RehomeRestorer.class);

    private final RedisDirectory directory;
    private final ClusterHost host;
    private final String nodeId;
    private final RoomSync sync;
    private final ClusterCounters counters;
    private final Executor executor;
    /** The assigned rooms claimed and not yet answered as done by the heartbeat: no room is restored twice. */
    private final Set<String> claimed = new HashSet<>();

    RehomeRestorer(
        final RedisDirectory directory, final ClusterHost host, final String nodeId, final RoomSync sync,
        final ClusterCounters counters, final Executor executor)
    {
        this.directory = directory;
        this.host = host;
        this.nodeId = nodeId;
        this.sync = sync;
        this.counters = counters;
        this.executor = executor;
    }

    /** @param rooms the rooms a heartbeat answered as still assigned here */
    void onAssigned(final List<String> rooms)
    {
        claimed.retainAll(rooms);
        for (final String room : rooms)
        {
            if (claimed.add(room))
            {
                directory.claim(room, nodeId).whenComplete((claim, failure) -> onClaimed(room, claim, failure));
            }
        }
    }

    private void onClaimed(final String room, final Claim claim, final Throwable failure)
    {
        if (failure != null)
        {
            LOG.warn("claim of room {} failed, trying again: {}", room, failure.toString());
            claimed.remove(room);
            return;
        }
        if (claim == null)
        {
            return;
        }
        final RoomSnapshot snapshot;
        try
        {
            snapshot = CheckpointCodec.read(claim.checkpoint());
        }
        catch (final CheckpointFormatException | RuntimeException ex)
        {
            LOG.warn("checkpoint of room {} unreadable: {}", room, ex.toString());
            onFailed(room, claim.epoch());
            return;
        }
        if (!room.equals(snapshot.room()))
        {
            LOG.warn("checkpoint of room {} names room {}", room, snapshot.room());
            onFailed(room, claim.epoch());
            return;
        }
        final CompletableFuture<Boolean> done = new CompletableFuture<>();
        if (!host.restore(snapshot, claim.epoch(), done))
        {
            onFailed(room, claim.epoch());
            return;
        }
        done.whenCompleteAsync((ok, error) ->
        {
            if (Boolean.TRUE.equals(ok) && error == null)
            {
                counters.onRestored(true);
                sync.onRestored(room, claim.epoch());
            }
            else
            {
                onFailed(room, claim.epoch());
            }
        }, executor);
    }

    private void onFailed(final String room, final long epoch)
    {
        counters.onRestored(false);
        sync.reportClosed(room, epoch);
    }
}
