package io.tickwire.sim;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides which shard owns a room. A named room belongs to exactly one shard, chosen by its name; a join for "any
 * room with space" goes to the shards in turn. Thread safe.
 */
public final class ShardRouter
{
    private final int shardCount;
    private final AtomicInteger nextAnyShard = new AtomicInteger();

    public ShardRouter(final int shardCount)
    {
        if (shardCount < 1)
        {
            throw new IllegalArgumentException("shardCount must be positive: " + shardCount);
        }
        this.shardCount = shardCount;
    }

    public int shardCount()
    {
        return shardCount;
    }

    /**
     * @return the shard owning the room named {@code roomName}.
     */
    public int shardOf(final String roomName)
    {
        return Math.floorMod(roomName.hashCode() * 0x9E3779B9, shardCount);
    }

    /**
     * @return the shard to ask for any room with space.
     */
    public int shardForAnyRoom()
    {
        return Math.floorMod(nextAnyShard.getAndIncrement(), shardCount);
    }
}
