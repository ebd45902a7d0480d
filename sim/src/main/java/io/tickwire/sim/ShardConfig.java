package io.tickwire.sim;

import io.tickwire.api.GameType;

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
    long resumeGraceNs)
{
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
        if (!(viewRadius >= 0 && viewRadius <= 1e6) || !(viewHysteresis >= 0 && viewHysteresis <= 1e6))
        {
            throw new IllegalArgumentException("viewRadius and viewHysteresis must be in 0..1e6 units");
        }
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
            seed, maxFaultedTicks, 0);
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
            seed, tickRateHz, 0);
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
            maxUnackedMessages, seed, maxFaultedTicks, graceNs);
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
