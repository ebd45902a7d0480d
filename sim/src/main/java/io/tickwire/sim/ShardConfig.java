package io.tickwire.sim;

import io.tickwire.api.GameType;
import io.tickwire.sim.checkpoint.CheckpointSink;
import io.tickwire.sim.journal.RoomJournal;

import java.util.concurrent.TimeUnit;

/**
 * Settings of the shards, fixed at start.
 *
 * @param tickRateHz             ticks (and snapshots) per second, 1..128.
 * @param maxCatchUpTicks        most ticks run back to back after a stall before the rest are skipped.
 * @param ringCapacity           events in each shard's input ring, a power of two.
 * @param maxRoomsPerShard       rooms a shard may hold at once, pinned ones included; each room type also caps its
 *                               rooms and clients per room, and its entities.
 * @param maxInputsPerTick       inputs applied per client per tick; the rest wait for the next tick.
 * @param pendingInputCapacity   inputs a client may have waiting, a power of two; more are dropped and counted.
 * @param historyWindowTicks     how old, in ticks, a client's acknowledged snapshot may be and still serve as the
 *                               baseline of a delta; older, the client gets a full snapshot.
 * @param viewRadius             interest management: a client sees the entities within this many world units of
 *                               its avatar; 0 turns interest management off (every client sees everything).
 * @param viewHysteresis         an entity in view leaves it only beyond {@code viewRadius + viewHysteresis} units.
 * @param maxEntitiesPerSnapshot most entities in one client's view, nearest first (with interest on).
 * @param checksums              whether snapshots carry the checksum of the client's view.
 * @param maxUnackedMessages     room messages and presence events a client may have unacknowledged; one more closes
 *                               it (4002): messages are never dropped, so a client that stops acknowledging them is
 *                               disconnected instead of queued without bound.
 * @param seed                   the server's seed; each room's generator mixes it with the room's name.
 * @param maxFaultedTicks        consecutive ticks a room's game may fail (its step or capture throws) before the
 *                               room is closed: its clients get NOTICE ROOM_CLOSED and close 1011, the game gets
 *                               {@code onDispose}. A step that succeeds sooner starts the count again.
 * @param resumeGraceNs          how long, in nanoseconds, a player whose connection dropped keeps its seat for a
 *                               resume (0..1 hour); 0 turns resume off: the player leaves at once, and welcomes carry
 *                               no resume token.
 * @param checkpointIntervalTicks ticks between two checkpoints of a room (staggered over the rooms); 0 turns
 *                               checkpoints off. Only with a {@code checkpointSink}.
 * @param rehomeGraceTicks       how long, in ticks, a seat restored from a checkpoint waits for its player to come
 *                               back before the game gets {@code onLeave(DISCONNECTED)}.
 * @param checkpointSink         where checkpoints go; null turns them off.
 * @param journals               opens each room's replay journal; null turns journaling off.
 * @param roomPublishPeriodNs    how often, in nanoseconds, a shard publishes its rooms ({@link RoomInfo}).
 */
public record ShardConfig(
    int tickRateHz,
    int maxCatchUpTicks,
    int ringCapacity,
    int maxRoomsPerShard,
    int maxInputsPerTick,
    int pendingInputCapacity,
    int historyWindowTicks,
    double viewRadius,
    double viewHysteresis,
    int maxEntitiesPerSnapshot,
    boolean checksums,
    int maxUnackedMessages,
    long seed,
    int maxFaultedTicks,
    long resumeGraceNs,
    int checkpointIntervalTicks,
    long rehomeGraceTicks,
    CheckpointSink checkpointSink,
    RoomJournal.Factory journals,
    long roomPublishPeriodNs)
{
    /** The default period of room publications: a second. */
    public static final long DEFAULT_ROOM_PUBLISH_PERIOD_NS = TimeUnit.SECONDS.toNanos(1);
    /** The default re-home grace, in seconds of ticks. */
    public static final int DEFAULT_REHOME_GRACE_SECONDS = 15;

    public static final int MIN_TICK_RATE_HZ = 1;
    public static final int MAX_TICK_RATE_HZ = 128;
    /** The longest seat grace for a resume: an hour. */
    public static final long MAX_RESUME_GRACE_NS = 3_600_000_000_000L;

    public ShardConfig
    {
        requireRange("tickRateHz", tickRateHz, MIN_TICK_RATE_HZ, MAX_TICK_RATE_HZ);
        requireRange("maxCatchUpTicks", maxCatchUpTicks, 1, 64);
        requirePowerOfTwo("ringCapacity", ringCapacity);
        requireRange("maxRoomsPerShard", maxRoomsPerShard, 1, 1 << 20);
        requireRange("maxInputsPerTick", maxInputsPerTick, 1, 64);
        requirePowerOfTwo("pendingInputCapacity", pendingInputCapacity);
        requireRange("historyWindowTicks", historyWindowTicks, 1, 1024);
        requireRange("maxEntitiesPerSnapshot", maxEntitiesPerSnapshot, 1, GameType.MAX_ENTITIES);
        requireRange("maxUnackedMessages", maxUnackedMessages, 1, 1 << 16);
        requireRange("maxFaultedTicks", maxFaultedTicks, 1, 1 << 20);
        if (resumeGraceNs < 0 || resumeGraceNs > MAX_RESUME_GRACE_NS)
        {
            throw new IllegalArgumentException("resumeGraceNs must be in 0.." + MAX_RESUME_GRACE_NS + ": " +
                resumeGraceNs);
        }
        if (checkpointIntervalTicks < 0 || rehomeGraceTicks < 0 || roomPublishPeriodNs <= 0)
        {
            throw new IllegalArgumentException("checkpointIntervalTicks and rehomeGraceTicks must be 0 or more, " +
                "roomPublishPeriodNs more than 0");
        }
        if (!(viewRadius >= 0 && viewRadius <= 1e6) || !(viewHysteresis >= 0 && viewHysteresis <= 1e6))
        {
            throw new IllegalArgumentException("viewRadius and viewHysteresis must be in 0..1e6 units");
        }
    }

    /**
     * Settings without checkpoints or journals, re-home grace 15 s, rooms published once a second.
     */
    public ShardConfig(
        final int tickRateHz, final int maxCatchUpTicks, final int ringCapacity, final int maxRoomsPerShard,
        final int maxInputsPerTick, final int pendingInputCapacity, final int historyWindowTicks,
        final double viewRadius, final double viewHysteresis, final int maxEntitiesPerSnapshot,
        final boolean checksums, final int maxUnackedMessages, final long seed, final int maxFaultedTicks,
        final long resumeGraceNs)
    {
        this(tickRateHz, maxCatchUpTicks, ringCapacity, maxRoomsPerShard, maxInputsPerTick, pendingInputCapacity,
            historyWindowTicks, viewRadius, viewHysteresis, maxEntitiesPerSnapshot, checksums, maxUnackedMessages,
            seed, maxFaultedTicks, resumeGraceNs, 0, (long)DEFAULT_REHOME_GRACE_SECONDS * tickRateHz, null, null,
            DEFAULT_ROOM_PUBLISH_PERIOD_NS);
    }

    /**
     * Settings with resume off.
     */
    public ShardConfig(
        final int tickRateHz, final int maxCatchUpTicks, final int ringCapacity, final int maxRoomsPerShard,
        final int maxInputsPerTick, final int pendingInputCapacity, final int historyWindowTicks,
        final double viewRadius, final double viewHysteresis, final int maxEntitiesPerSnapshot,
        final boolean checksums, final int maxUnackedMessages, final long seed, final int maxFaultedTicks)
    {
        this(tickRateHz, maxCatchUpTicks, ringCapacity, maxRoomsPerShard, maxInputsPerTick, pendingInputCapacity,
            historyWindowTicks, viewRadius, viewHysteresis, maxEntitiesPerSnapshot, checksums, maxUnackedMessages,
            seed, maxFaultedTicks, 0L);
    }

    /**
     * Settings with resume off, whose rooms may fail for one second of ticks ({@code tickRateHz}) before they are
     * closed.
     */
    public ShardConfig(
        final int tickRateHz, final int maxCatchUpTicks, final int ringCapacity, final int maxRoomsPerShard,
        final int maxInputsPerTick, final int pendingInputCapacity, final int historyWindowTicks,
        final double viewRadius, final double viewHysteresis, final int maxEntitiesPerSnapshot,
        final boolean checksums, final int maxUnackedMessages, final long seed)
    {
        this(tickRateHz, maxCatchUpTicks, ringCapacity, maxRoomsPerShard, maxInputsPerTick, pendingInputCapacity,
            historyWindowTicks, viewRadius, viewHysteresis, maxEntitiesPerSnapshot, checksums, maxUnackedMessages,
            seed, tickRateHz, 0L);
    }

    /**
     * @return the defaults at {@code tickRateHz}: 5 catch-up ticks, 64Ki ring, 1000 rooms per shard, 4 inputs per
     * client per tick, 16 pending inputs, one second of history, a view radius of 100 units with 10 units of
     * hysteresis, at most 128 entities per view, checksums on, 256 unacknowledged messages, seed 42, rooms closed
     * after one second of failed ticks.
     */
    public static ShardConfig defaults(final int tickRateHz)
    {
        return new ShardConfig(tickRateHz, 5, 1 << 16, 1000, 4, 16, tickRateHz, 100, 10, 128, true, 256, 42L);
    }

    /**
     * @return {@link #defaults(int)} at 30 Hz.
     */
    public static ShardConfig defaults()
    {
        return defaults(30);
    }

    public long tickPeriodNs()
    {
        return 1_000_000_000L / tickRateHz;
    }

    /**
     * @return these settings with a seat grace of {@code graceNs} for resumes; 0 turns resume off.
     */
    public ShardConfig withResumeGraceNs(final long graceNs)
    {
        return new ShardConfig(tickRateHz, maxCatchUpTicks, ringCapacity, maxRoomsPerShard, maxInputsPerTick,
            pendingInputCapacity, historyWindowTicks, viewRadius, viewHysteresis, maxEntitiesPerSnapshot, checksums,
            maxUnackedMessages, seed, maxFaultedTicks, graceNs, checkpointIntervalTicks, rehomeGraceTicks,
            checkpointSink, journals, roomPublishPeriodNs);
    }

    /**
     * @param intervalTicks ticks between two checkpoints of a room; 0 turns them off.
     * @param graceTicks    how long a restored seat waits for its player, in ticks.
     * @param sink          where checkpoints go; null turns them off.
     * @return these settings with checkpoints so configured.
     */
    public ShardConfig withCheckpoints(final int intervalTicks, final long graceTicks, final CheckpointSink sink)
    {
        return new ShardConfig(tickRateHz, maxCatchUpTicks, ringCapacity, maxRoomsPerShard, maxInputsPerTick,
            pendingInputCapacity, historyWindowTicks, viewRadius, viewHysteresis, maxEntitiesPerSnapshot, checksums,
            maxUnackedMessages, seed, maxFaultedTicks, resumeGraceNs, intervalTicks, graceTicks, sink, journals,
            roomPublishPeriodNs);
    }

    /**
     * @return these settings with room journals opened by {@code factory}; null turns journaling off.
     */
    public ShardConfig withJournals(final RoomJournal.Factory factory)
    {
        return new ShardConfig(tickRateHz, maxCatchUpTicks, ringCapacity, maxRoomsPerShard, maxInputsPerTick,
            pendingInputCapacity, historyWindowTicks, viewRadius, viewHysteresis, maxEntitiesPerSnapshot, checksums,
            maxUnackedMessages, seed, maxFaultedTicks, resumeGraceNs, checkpointIntervalTicks, rehomeGraceTicks,
            checkpointSink, factory, roomPublishPeriodNs);
    }

    /**
     * @return these settings with rooms published every {@code periodNs} nanoseconds.
     */
    public ShardConfig withRoomPublishPeriodNs(final long periodNs)
    {
        return new ShardConfig(tickRateHz, maxCatchUpTicks, ringCapacity, maxRoomsPerShard, maxInputsPerTick,
            pendingInputCapacity, historyWindowTicks, viewRadius, viewHysteresis, maxEntitiesPerSnapshot, checksums,
            maxUnackedMessages, seed, maxFaultedTicks, resumeGraceNs, checkpointIntervalTicks, rehomeGraceTicks,
            checkpointSink, journals, periodNs);
    }

    /**
     * @return whether rooms are checkpointed: an interval and a sink are set.
     */
    public boolean checkpointsEnabled()
    {
        return checkpointIntervalTicks > 0 && checkpointSink != null;
    }

    /**
     * @return whether a dropped player keeps its seat for a resume.
     */
    public boolean resumeEnabled()
    {
        return resumeGraceNs > 0;
    }

    /**
     * @return the seat grace in whole ticks, rounded up; 0 when resume is off.
     */
    public long resumeGraceTicks()
    {
        return (resumeGraceNs + tickPeriodNs() - 1) / tickPeriodNs();
    }

    private static void requireRange(final String name, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ": " + value);
        }
    }

    private static void requirePowerOfTwo(final String name, final int value)
    {
        if (value < 2 || Integer.bitCount(value) != 1)
        {
            throw new IllegalArgumentException(name + " must be a power of two: " + value);
        }
    }
}
