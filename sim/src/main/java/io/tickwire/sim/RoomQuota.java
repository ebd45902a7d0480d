package io.tickwire.sim;

import io.tickwire.api.GameType;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server-wide caps on open rooms: in total, and per room type ({@link GameType#maxRooms()}). Every shard takes a
 * seat here before it creates a room and gives it back when the room is disposed. Lock-free and thread safe; used
 * only when rooms are created or disposed, never per tick.
 */
public final class RoomQuota
{
    private final int maxRooms;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicInteger> openByType = new HashMap<>();

    /**
     * @param maxRooms most rooms open at once on the server, of every type.
     */
    public RoomQuota(final int maxRooms, final GameCatalog catalog)
    {
        if (maxRooms < 1)
        {
            throw new IllegalArgumentException("maxRooms must be positive: " + maxRooms);
        }
        this.maxRooms = maxRooms;
        for (final GameType type : catalog.types())
        {
            openByType.put(type.name(), new AtomicInteger());
        }
    }

    /**
     * @return true when a room of {@code type} may open (and it is now counted); false at a cap.
     */
    public boolean tryAcquire(final GameType type)
    {
        if (!tryIncrement(open, maxRooms))
        {
            return false;
        }
        if (!tryIncrement(openByType.get(type.name()), type.maxRooms()))
        {
            open.decrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * Gives back the seat of a disposed room of {@code type}.
     */
    public void release(final GameType type)
    {
        openByType.get(type.name()).decrementAndGet();
        open.decrementAndGet();
    }

    /**
     * @return rooms open now, of every type.
     */
    public int openRooms()
    {
        return open.get();
    }

    private static boolean tryIncrement(final AtomicInteger counter, final int max)
    {
        int current;
        do
        {
            current = counter.get();
            if (current >= max)
            {
                return false;
            }
        }
        while (!counter.compareAndSet(current, current + 1));
        return true;
    }
}
