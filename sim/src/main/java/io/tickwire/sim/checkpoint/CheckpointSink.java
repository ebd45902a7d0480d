package io.tickwire.sim.checkpoint;

/**
 * Takes the checkpoints a shard captures: the cluster's uploader, the journal writer, or both. The shard calls
 * {@link #offer(CheckpointFrame)} on its own thread after the cycle's fan-out; the sink hands the frame to another
 * thread (a lock-free queue), which encodes it ({@link CheckpointCodec#write(CheckpointFrame)}) and then calls
 * {@link CheckpointFrame#release()}. Implementations must never block and never allocate per offer.
 */
@FunctionalInterface
public interface CheckpointSink
{
    /**
     * Shard thread.
     *
     * @param frame a filled frame, owned by the sink from here until its {@link CheckpointFrame#release()}.
     * @return false when the sink cannot take it now (its queue is full): the shard releases the frame itself and
     * counts the checkpoint as dropped.
     */
    boolean offer(CheckpointFrame frame);
}
