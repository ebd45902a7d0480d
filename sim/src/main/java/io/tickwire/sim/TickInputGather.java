package io.tickwire.sim;

/**
 * The I/O side's part in a tick: a shard calls {@link #gather(int)} at the start of every cycle that runs a tick,
 * before it drains its input ring, so an I/O layer that reads its sockets once per tick rather than once per
 * arriving message still gets every input received before the tick into that tick.
 * <pre>
 *   shard thread:  due -> gather(shard): I/O threads read what their sockets hold and publish it -> drain ring -> tick
 * </pre>
 * An implementation returns within a bounded time (a fraction of a tick) whatever the I/O threads do: a shard
 * never waits on them for longer.
 */
@FunctionalInterface
public interface TickInputGather
{
    /** No I/O to wait for: the I/O side publishes inputs as they arrive. */
    TickInputGather NONE = shardId -> { };

    /**
     * Returns once the I/O threads have published what they had received when it was called, or after the bound.
     * Called by the shard's thread only; allocates nothing.
     *
     * @param shardId the calling shard.
     */
    void gather(int shardId);
}
