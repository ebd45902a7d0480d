package io.tickwire.sim;

/**
 * Settings of the shards, fixed at start.
 *
 * @param tickRateHz           ticks (and snapshots) per second, 1..128.
 * @param maxCatchUpTicks      most ticks run back to back after a stall before the rest are skipped.
 * @param ringCapacity         events in each shard's input ring, a power of two.
 * @param maxRoomsPerShard     rooms a shard may hold at once, pinned ones included.
 * @param maxClientsPerRoom    clients a room admits.
 * @param maxEntitiesPerRoom   entities a room's snapshot can carry, at most 65535.
 * @param maxInputsPerTick     inputs applied per client per tick; the rest wait for the next tick.
 * @param pendingInputCapacity inputs a client may have waiting, a power of two; more are dropped and counted.
 */
public record ShardConfig(
    int tickRateHz,
    int maxCatchUpTicks,
    int ringCapacity,
    int maxRoomsPerShard,
    int maxClientsPerRoom,
    int maxEntitiesPerRoom,
    int maxInputsPerTick,
    int pendingInputCapacity)
{
    public static final int MIN_TICK_RATE_HZ = 1;
    public static final int MAX_TICK_RATE_HZ = 128;

    public ShardConfig
    {
        requireRange("tickRateHz", tickRateHz, MIN_TICK_RATE_HZ, MAX_TICK_RATE_HZ);
        requireRange("maxCatchUpTicks", maxCatchUpTicks, 1, 64);
        requirePowerOfTwo("ringCapacity", ringCapacity);
        requireRange("maxRoomsPerShard", maxRoomsPerShard, 1, 1 << 20);
        requireRange("maxClientsPerRoom", maxClientsPerRoom, 1, 1 << 16);
        requireRange("maxEntitiesPerRoom", maxEntitiesPerRoom, 1, 0xFFFF);
        requireRange("maxInputsPerTick", maxInputsPerTick, 1, 64);
        requirePowerOfTwo("pendingInputCapacity", pendingInputCapacity);
    }

    /**
     * @return the defaults: 30 Hz, 5 catch-up ticks, 64Ki ring, 1000 rooms per shard, 1000 clients and 4096
     * entities per room, 4 inputs per client per tick, 16 pending inputs.
     */
    public static ShardConfig defaults()
    {
        return new ShardConfig(30, 5, 1 << 16, 1000, 1000, 4096, 4, 16);
    }

    public long tickPeriodNs()
    {
        return 1_000_000_000L / tickRateHz;
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
