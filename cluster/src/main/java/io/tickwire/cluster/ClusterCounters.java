package io.tickwire.cluster;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of one cluster node, for the server's metrics. Written by the cluster thread and by Lettuce completion
 * threads, read by any thread; monotonic.
 */
public final class ClusterCounters
{
    private static final int HEARTBEATS_FAILED = 0;
    private static final int REAPED_NODES = 1;
    private static final int ROOMS_RESTORED = 2;
    private static final int RESTORES_FAILED = 3;
    private static final int CHECKPOINTS_WRITTEN = 4;
    private static final int CHECKPOINTS_DROPPED = 5;
    private static final int CHECKPOINTS_FENCED = 6;
    private static final int SYNCS_FAILED = 7;
    private static final int ROOMS_FENCED = 8;
    private static final int SYNCS = 9;
    private static final int FIXED = 10;

    private final AtomicLongArray fixed = new AtomicLongArray(FIXED);
    private final AtomicLongArray matchmakes = new AtomicLongArray(MatchError.values().length + 1);
    private final AtomicLongArray consumes = new AtomicLongArray(ConsumeResult.values().length);

    /** @return heartbeats that failed (Redis error or timeout) */
    public long heartbeatsFailed()
    {
        return fixed.get(HEARTBEATS_FAILED);
    }

    /** @return dead nodes this node reaped */
    public long reapedNodes()
    {
        return fixed.get(REAPED_NODES);
    }

    /** @return rooms restored here from checkpoints */
    public long roomsRestored()
    {
        return fixed.get(ROOMS_RESTORED);
    }

    /** @return restores that failed (bad checkpoint, game refused, ring full) */
    public long restoresFailed()
    {
        return fixed.get(RESTORES_FAILED);
    }

    /** @return checkpoints written to Redis */
    public long checkpointsWritten()
    {
        return fixed.get(CHECKPOINTS_WRITTEN);
    }

    /** @return checkpoints not written: queue full, encoding failed, or Redis failed */
    public long checkpointsDropped()
    {
        return fixed.get(CHECKPOINTS_DROPPED);
    }

    /** @return checkpoints Redis refused because another node owns the room now */
    public long checkpointsFenced()
    {
        return fixed.get(CHECKPOINTS_FENCED);
    }

    /** @return room sync rounds Redis answered: each room of the round registered or fenced, closures applied */
    public long syncs()
    {
        return fixed.get(SYNCS);
    }

    /** @return room syncs that failed */
    public long syncsFailed()
    {
        return fixed.get(SYNCS_FAILED);
    }

    /** @return local rooms closed because another node owns them (fenced) */
    public long roomsFenced()
    {
        return fixed.get(ROOMS_FENCED);
    }

    /** @return matchmakes that reserved a seat */
    public long matchmakesOk()
    {
        return matchmakes.get(MatchError.values().length);
    }

    /**
     * @param error a failure reason
     * @return matchmakes that failed for it
     */
    public long matchmakesFailed(final MatchError error)
    {
        return matchmakes.get(error.ordinal());
    }

    /**
     * @param result a consume outcome
     * @return reservations presented at handshakes with that outcome
     */
    public long consumes(final ConsumeResult result)
    {
        return consumes.get(result.ordinal());
    }

    void onHeartbeatFailed()
    {
        fixed.incrementAndGet(HEARTBEATS_FAILED);
    }

    void onReaped(final int nodes)
    {
        fixed.addAndGet(REAPED_NODES, nodes);
    }

    void onRestored(final boolean ok)
    {
        fixed.incrementAndGet(ok ? ROOMS_RESTORED : RESTORES_FAILED);
    }

    void onCheckpointWritten()
    {
        fixed.incrementAndGet(CHECKPOINTS_WRITTEN);
    }

    void onCheckpointDropped()
    {
        fixed.incrementAndGet(CHECKPOINTS_DROPPED);
    }

    void onCheckpointFenced()
    {
        fixed.incrementAndGet(CHECKPOINTS_FENCED);
    }

    void onSynced()
    {
        fixed.incrementAndGet(SYNCS);
    }

    void onSyncFailed()
    {
        fixed.incrementAndGet(SYNCS_FAILED);
    }

    void onRoomsFenced(final int rooms)
    {
        fixed.addAndGet(ROOMS_FENCED, rooms);
    }

    void onMatchmake(final MatchResult result)
    {
        matchmakes.incrementAndGet(result.ok() ? MatchError.values().length
            : MatchError.valueOf(result.error()).ordinal());
    }

    void onConsume(final ConsumeResult result)
    {
        consumes.incrementAndGet(result.ordinal());
    }
}
