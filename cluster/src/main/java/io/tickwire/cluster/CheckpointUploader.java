package io.tickwire.cluster;

import java.util.HashMap;
import java.util.Map;

import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tickwire.sim.checkpoint.CheckpointCodec;
import io.tickwire.sim.checkpoint.CheckpointFrame;
import io.tickwire.sim.checkpoint.CheckpointSink;
import io.tickwire.sim.checkpoint.RoomSnapshot;

/**
 * Takes checkpoint frames from the shards and writes them to Redis ({@code checkpoint.lua}, epoch fenced).
 * <pre>
 *   shard threads --offer--> MpscArrayQueue (bounded) --drain(), tickwire-cluster--> CheckpointCodec.write
 *                                                           -> frame.release() -> EVALSHA checkpoint (async)
 * </pre>
 * {@link #offer} is the only method shards call: lock-free, allocation-free; a full queue refuses the frame (the
 * shard releases it) and counts it dropped. Everything else runs on the cluster thread.
 */
final class CheckpointUploader implements CheckpointSink
{
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointUploader.class);
    private static final int MAX_IN_FLIGHT = 16;

    private final MpscArrayQueue<CheckpointFrame> queue;
    private final RedisDirectory directory;
    private final String nodeId;
    private final ClusterCounters counters;
    private final Map<String, Long> uploadedTicks = new HashMap<>();
    private boolean trackingTicks;
    private int inFlight;

    CheckpointUploader(
        final int capacity, final RedisDirectory directory, final String nodeId, final ClusterCounters counters)
    {
        this.queue = new MpscArrayQueue<>(capacity);
        this.directory = directory;
        this.nodeId = nodeId;
        this.counters = counters;
    }

    /** Shard thread: hands a filled frame over, or refuses it when the queue is full. */
    public boolean offer(final CheckpointFrame frame)
    {
        if (queue.offer(frame))
        {
            return true;
        }
        counters.onCheckpointDropped();
        return false;
    }

    /**
     * Cluster thread: encodes and sends queued frames, at most {@value #MAX_IN_FLIGHT} writes in flight so a slow
     * Redis backs up into the bounded queue, not into memory.
     */
    void drain()
    {
        while (inFlight < MAX_IN_FLIGHT)
        {
            final CheckpointFrame frame = queue.poll();
            if (frame == null)
            {
                return;
            }
            final RoomSnapshot snapshot = frame.snapshot();
            final String room = snapshot.room();
            final long epoch = snapshot.epoch();
            final long tick = snapshot.tick();
            final byte[] bytes;
            try
            {
                bytes = CheckpointCodec.write(frame);
            }
            catch (final RuntimeException ex)
            {
                counters.onCheckpointDropped();
                LOG.warn("checkpoint of room {} not encoded", room, ex);
                continue;
            }
            finally
            {
                frame.release();
            }
            inFlight++;
            directory.checkpoint(room, nodeId, epoch, tick, bytes).whenComplete((written, failure) ->
                onWritten(room, tick, written, failure));
        }
    }

    /** Cluster thread. @return true when nothing is queued or in flight */
    boolean isIdle()
    {
        return inFlight == 0 && queue.isEmpty();
    }

    /**
     * Cluster thread: from now on remembers the tick of each room's newest checkpoint written, for a handover (only
     * then: rooms come and go, and nothing else needs it).
     */
    void trackUploadedTicks()
    {
        trackingTicks = true;
    }

    /**
     * Cluster thread.
     *
     * @return the tick of the room's newest checkpoint written since {@link #trackUploadedTicks()}, -1 when none
     */
    long uploadedTick(final String room)
    {
        return uploadedTicks.getOrDefault(room, -1L);
    }

    private void onWritten(final String room, final long tick, final Boolean written, final Throwable failure)
    {
        inFlight--;
        if (failure != null)
        {
            counters.onCheckpointDropped();
            LOG.debug("checkpoint of room {} not written: {}", room, failure.toString());
        }
        else if (Boolean.TRUE.equals(written))
        {
            counters.onCheckpointWritten();
            if (trackingTicks)
            {
                uploadedTicks.merge(room, tick, Math::max);
            }
        }
        else
        {
            counters.onCheckpointFenced();
        }
    }
}
