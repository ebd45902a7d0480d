package io.tickwire.sim;

import io.tickwire.api.GameType;
import io.tickwire.api.JoinOptions;
import io.tickwire.api.LeaveReason;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.WireFormat;
import org.agrona.collections.Object2ObjectHashMap;

/**
 * The rooms of one shard: by name, in an array the tick walks, created under the server-wide {@link RoomQuota} and
 * disposed once empty past their type's keep-alive. Shard thread only.
 */
final class RoomRegistry
{
    /** {@link #lastFailure()}: the shard or the server holds its maximum of rooms. */
    static final int FULL = 1;
    /** {@link #lastFailure()}: the game failed to start. */
    static final int GAME_FAILED = 2;

    private final int shardId;
    private final ShardConfig config;
    private final RoomQuota quota;
    private final ShardRouter router;
    private final GameErrors errors;
    private final ShardCounters counters;
    private final ShardScratch scratch;
    private final Object2ObjectHashMap<String, Room> byName = new Object2ObjectHashMap<>();
    private final Room[] rooms;
    private int count;
    private long generatedNameCounter;
    private int lastFailure;

    RoomRegistry(
        final int shardId, final ShardConfig config, final RoomQuota quota, final ShardRouter router,
        final GameErrors errors, final ShardCounters counters, final ShardScratch scratch)
    {
        this.shardId = shardId;
        this.config = config;
        this.quota = quota;
        this.router = router;
        this.errors = errors;
        this.counters = counters;
        this.scratch = scratch;
        this.rooms = new Room[config.maxRoomsPerShard()];
    }

    int count()
    {
        return count;
    }

    Room room(final int index)
    {
        return rooms[index];
    }

    /**
     * @return the room named {@code name}, or null.
     */
    Room named(final String name)
    {
        return byName.get(name);
    }

    /**
     * @return an open room of {@code type} (public, unlocked, with space), or null.
     */
    Room findOpen(final GameType type)
    {
        for (int i = 0; i < count; i++)
        {
            final Room room = rooms[i];
            if (room.type() == type && room.isOpen())
            {
                return room;
            }
        }
        return null;
    }

    /**
     * @return a free name for a new room of {@code type} that this shard owns: {@code <type>-<shard>-<n>}, the type
     * cut short when the whole would pass {@link WireFormat#MAX_NAME_LENGTH} bytes.
     */
    String generateName(final GameType type)
    {
        String name;
        do
        {
            final String suffix = "-" + shardId + "-" + (++generatedNameCounter);
            final String prefix = type.name();
            name = prefix.substring(0, Math.min(prefix.length(), WireFormat.MAX_NAME_LENGTH - suffix.length())) +
                suffix;
        }
        while (router.shardOf(name) != shardId || byName.containsKey(name));
        return name;
    }

    /**
     * Creates a room and its game, which sees {@code onCreate(options)}.
     *
     * @return the room; null when the shard or the server holds its maximum of rooms ({@link #FULL}) or when the
     * game failed to start: then {@link #lastFailure()} says which.
     */
    Room create(final String name, final GameType type, final boolean pinned, final JoinOptions options)
    {
        if (count == rooms.length || !quota.tryAcquire(type))
        {
            lastFailure = FULL;
            counters.roomsRefused.incrementAndGet();
            return null;
        }
        final Room room = new Room(name, type, pinned, config, errors, counters, scratch);
        if (!room.create(options))
        {
            quota.release(type);
            lastFailure = GAME_FAILED;
            return null;
        }
        rooms[count++] = room;
        byName.put(name, room);
        counters.roomsCreated.incrementAndGet();
        if (config.journals() != null)
        {
            room.journalTo(config.journals().open(name, type.name(), config.tickRateHz(), room.tick()));
            if (room.journal() != null)
            {
                room.journal().onCreate(options);
            }
        }
        return room;
    }

    int lastFailure()
    {
        return lastFailure;
    }

    /**
     * Disposes every room that is empty past its keep-alive.
     */
    void disposeExpired(final ShardClients sessions)
    {
        for (int i = count - 1; i >= 0; i--)
        {
            if (rooms[i].isExpired())
            {
                disposeAt(i, LeaveReason.ROOM_CLOSED, CloseCodes.GOING_AWAY, "room closed", 0, sessions);
            }
        }
    }

    /**
     * Closes every room whose game failed {@link ShardConfig#maxFaultedTicks()} ticks in a row: its clients get
     * NOTICE ROOM_CLOSED and close 1011, its game {@code onDispose}, and the room leaves the registry.
     */
    void closeFaulted(final ShardClients sessions)
    {
        for (int i = count - 1; i >= 0; i--)
        {
            if (rooms[i].failedTicks() >= config.maxFaultedTicks())
            {
                counters.roomsClosedFaulted.incrementAndGet();
                disposeAt(i, LeaveReason.ROOM_CLOSED, CloseCodes.INTERNAL_ERROR, "room closed: the game failed",
                    0, sessions);
            }
        }
    }

    /**
     * Disposes every room: server shutdown. Each client is told the server is draining, with the delay to wait before
     * reconnecting in milliseconds.
     */
    void disposeAll(final ShardClients sessions, final int reconnectDelayMs)
    {
        for (int i = count - 1; i >= 0; i--)
        {
            disposeAt(i, LeaveReason.SERVER_SHUTDOWN, CloseCodes.GOING_AWAY, "server draining", reconnectDelayMs,
                sessions);
        }
    }

    private void disposeAt(
        final int index, final LeaveReason reason, final int closeCode, final String text, final int reconnectDelayMs,
        final ShardClients sessions)
    {
        final Room room = rooms[index];
        room.dispose(reason, closeCode, text, reconnectDelayMs, sessions);
        if (room.journal() != null)
        {
            room.journal().onClose(room.tick());
        }
        byName.remove(room.name());
        rooms[index] = rooms[--count];
        rooms[count] = null;
        quota.release(room.type());
        counters.roomsDisposed.incrementAndGet();
    }
}
