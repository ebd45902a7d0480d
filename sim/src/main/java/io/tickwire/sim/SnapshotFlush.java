package io.tickwire.sim;

/**
 * The I/O side's part at the end of a tick's fan-out: a {@link ClientLink} may hold the snapshots offered to it
 * until its shard calls {@link #flush(int)}, which the shard does once per cycle that sent snapshots, after the
 * last one.
 * <pre>
 *   shard thread:  tick -> each room, each client: link.offerSnapshot (queued, no I/O thread woken)
 *                       -> flush(shard): each I/O thread with snapshots queued is woken once, writes them all
 * </pre>
 * An I/O thread woken at the first snapshot runs beside a shard that is still offering: on a core the two share,
 * each such wake-up is a context switch into a write pass of a few clients, and the next offer wakes it again.
 * Waking it once after the fan-out lets it write the tick's snapshots in one pass.
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
