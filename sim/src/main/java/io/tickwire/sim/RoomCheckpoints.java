package io.tickwire.sim;

import io.tickwire.sim.checkpoint.CheckpointFrame;
import io.tickwire.sim.checkpoint.CheckpointSink;

/**
 * A room's checkpoints: its two reusable {@link CheckpointFrame}s (made at the first checkpoint, grown to the
 * largest state, then reused: no allocation) and its schedule. Rooms are staggered: a room is due at the ticks
 * {@code t} with {@code (t + hash(name)) % interval == 0}, so a shard's rooms do not all save in the same cycle.
 * A due checkpoint that cannot be taken (both frames still held by consumers) is skipped until the next one.
 * Shard thread only.
 */
final class RoomCheckpoints
{
    /** {@link #checkpoint}: the frame went to the sink. */
    static final int OFFERED = 0;
    /** {@link #checkpoint}: both frames are still held by consumers; nothing was taken. */
    static final int NO_FREE_FRAME = 1;
    /** {@link #checkpoint}: the sink refused the frame (its queue is full). */
    static final int REFUSED = 2;
    /** {@link #checkpoint}: the game's save threw. */
    static final int FAILED = 3;
    /** {@link #checkpoint}: the room is not checkpointed: its game has no checkpoint version, or it is faulted. */
    static final int NOT_CHECKPOINTABLE = 4;

    private static final int INITIAL_GAME_CAPACITY = 4096;
    private static final long UNSCHEDULED = -1;

    private final Room room;
    private final ShardCounters counters;
    private final int intervalTicks;
    private final long phaseTicks;
    private final CheckpointFrame[] frames = new CheckpointFrame[2];
    /** Scheduled at the first look, after a creation or a restore has set the room's tick. */
    private long nextDueTick = UNSCHEDULED;
    private boolean drainCheckpointTaken;

    RoomCheckpoints(final Room room, final ShardConfig config, final ShardCounters counters)
    {
        this.room = room;
        this.counters = counters;
        this.intervalTicks = config.checkpointsEnabled() && room.type().checkpointVersion() > 0 ?
            config.checkpointIntervalTicks() : 0;
        this.phaseTicks = intervalTicks > 0 ? (room.name().hashCode() & Integer.MAX_VALUE) % intervalTicks : 0;
    }

    /**
     * @return whether a periodic checkpoint is due at the room's current tick (at most one per interval; a tick a
     * catch-up skipped past counts as reached).
     */
    boolean isDue()
    {
        if (intervalTicks == 0)
        {
            return false;
        }
        if (nextDueTick == UNSCHEDULED)
        {
            nextDueTick = nextDueAfter(room.tick());
        }
        return room.tick() >= nextDueTick;
    }

    /**
     * Takes the due checkpoint, or skips it, and schedules the next one.
     *
     * @return as {@link #checkpoint}.
     */
    int checkpointDue(final CheckpointSink sink, final ShardScratch scratch)
    {
        nextDueTick = nextDueAfter(room.tick());
        return checkpoint(sink, scratch);
    }

    /**
     * @return the first tick after {@code tick} at which the room is due.
     */
    private long nextDueAfter(final long tick)
    {
        return tick + intervalTicks - (tick + phaseTicks) % intervalTicks;
    }

    /**
     * Drain with handover: takes the room's last checkpoint unless taken already. A room that cannot be checkpointed
     * now (no free frame, the sink full) is tried again at the next call; one that cannot be checkpointed at all
     * (no checkpoint version, faulted, its save threw) is done.
     *
     * @return true once the room needs nothing more before it is disposed.
     */
    boolean takeDrainCheckpoint(final CheckpointSink sink, final ShardScratch scratch)
    {
        if (!drainCheckpointTaken)
        {
            final int outcome = checkpoint(sink, scratch);
            drainCheckpointTaken = outcome != NO_FREE_FRAME && outcome != REFUSED;
        }
        return drainCheckpointTaken;
    }

    /**
     * Fills a free frame with the room's platform state, the game's {@code save} and the CRC32C of the entity table
     * captured at the room's tick, and offers it to {@code sink}; counts the outcome in {@link ShardCounters}.
     *
     * @return {@link #OFFERED}, {@link #NO_FREE_FRAME}, {@link #REFUSED}, {@link #FAILED} or
     * {@link #NOT_CHECKPOINTABLE}.
     */
    int checkpoint(final CheckpointSink sink, final ShardScratch scratch)
    {
        if (room.type().checkpointVersion() == 0 || room.isFaulted())
        {
            return NOT_CHECKPOINTABLE;
        }
        final CheckpointFrame frame = freeFrame();
        if (frame == null)
        {
            counters.checkpointsSkipped.incrementAndGet();
            return NO_FREE_FRAME;
        }
        room.fillSnapshot(frame.snapshot());
        if (!room.saveGame(frame.beginGame()))
        {
            counters.checkpointsFailed.incrementAndGet();
            return FAILED;
        }
        frame.complete(room.type().checkpointVersion(),
            room.entities().crc32c(scratch.captureCrc, scratch.captureCrcChunk));
        if (!sink.offer(frame))
        {
            frame.release();
            counters.checkpointsDropped.incrementAndGet();
            return REFUSED;
        }
        counters.checkpoints.incrementAndGet();
        return OFFERED;
    }

    private CheckpointFrame freeFrame()
    {
        for (int i = 0; i < frames.length; i++)
        {
            if (frames[i] == null)
            {
                frames[i] = new CheckpointFrame(room.type().maxClients(), INITIAL_GAME_CAPACITY);
            }
            if (frames[i].isFree())
            {
                return frames[i];
            }
        }
        return null;
    }
}
