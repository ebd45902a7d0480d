package io.tickwire.sim;

/**
 * The I/O side's part in a tick's fan-out: a {@link ClientLink} may hold the snapshots offered to it until its shard
 * calls {@link #flush(int)}, which the shard does after each stage of a tick's snapshots that offered any (at most
 * {@link ShardAgent#SNAPSHOT_STAGES} a tick, one when no client sent an input), the last after the last snapshot.
 * <pre>
 *   shard thread:  tick -> stage by stage, each room, each client in arrival order: link.offerSnapshot (queued)
 *                       -> flush(shard) after each stage: each I/O thread with snapshots queued is woken once,
 *                          writes the stage
 * </pre>
 * An I/O thread woken at each snapshot runs beside a shard that is still offering: on a core the two share, each
 * such wake-up is a context switch into a write pass of a few clients, and the next offer wakes it again. Woken per
 * stage, it writes a stage in one pass, and the inputs that waited longest are written before the fan-out ends.
 */
@FunctionalInterface
public interface SnapshotFlush
{
    /** Links that write what they are offered at once. */
    SnapshotFlush NONE = shardId -> { };

    /**
     * Has the I/O side start writing every snapshot offered before the call. Called by the shard's thread only;
     * returns without waiting for the writes, and allocates nothing.
     *
     * @param shardId the calling shard.
     */
    void flush(int shardId);
}
