package io.tickwire.sim;

import io.tickwire.api.GameType;
import io.tickwire.api.JoinOptions;
import io.tickwire.api.LeaveReason;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.Utf8;
import io.tickwire.codec.WireFormat;
import io.tickwire.sim.checkpoint.RoomSnapshot;
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
    /** {@link #lastFailure()}: a restore names a room this shard has, or one it does not own. */
    static final int NAME_TAKEN = 3;

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
    private long disposedCount;

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
        add(room);
        counters.roomsCreated.incrementAndGet();
        return room;
    }

    /**
     * Restores a room from a checkpoint ({@link Room#restore}), under the same quota as a creation, then compares the
     * capture of the restored tick with the checkpoint's CRC: a difference is counted
     * ({@link ShardCounters#restoreMismatches}) and the room runs on, since its game state is what the game restored.
     * A checkpoint at tick 0 (a journal's first, taken right after {@code onCreate}) holds no capture yet: not
     * compared.
     *
     * @return the room; null when its name is taken here, routed to another shard or not a valid room name
     * ({@link #NAME_TAKEN}), the shard or the server holds its maximum of rooms ({@link #FULL}), or the state or
     * the game's restore failed ({@link #GAME_FAILED}).
     */
    Room restore(final RoomSnapshot snapshot, final GameType type, final long epoch)
    {
        final String name = snapshot.room();
        if (name == null || Utf8.encodedLength(name) < 1 || Utf8.encodedLength(name) > WireFormat.MAX_NAME_LENGTH ||
            byName.containsKey(name) || router.shardOf(name) != shardId)
        {
            lastFailure = NAME_TAKEN;
            return null;
        }
        if (count == rooms.length || !quota.tryAcquire(type))
        {
            lastFailure = FULL;
            counters.roomsRefused.incrementAndGet();
            return null;
        }
        final Room room = new Room(name, type, snapshot.pinned(), config, errors, counters, scratch);
        if (!room.restore(snapshot, epoch, config.rehomeGraceTicks()))
        {
            quota.release(type);
            lastFailure = GAME_FAILED;
            return null;
        }
        if (snapshot.tick() > 0 &&
            room.entities().crc32c(scratch.captureCrc, scratch.captureCrcChunk) != snapshot.captureCrc())
        {
            counters.restoreMismatches.incrementAndGet();
        }
        add(room);
        counters.restores.incrementAndGet();
        return room;
    }

    /**
     * Registers a room just made; a journaled room starts its journal with a checkpoint of its first state.
     */
    private void add(final Room room)
    {
        rooms[count++] = room;
        byName.put(room.name(), room);
        if (room.journal() != null && config.checkpointSink() != null)
        {
            room.checkpoints().checkpoint(config.checkpointSink(), scratch);
        }
    }

    int lastFailure()
    {
        return lastFailure;
    }

    /**
     * @return the rooms disposed since the registry was made, for whatever reason.
     */
    long disposedCount()
    {
        return disposedCount;
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
        byName.remove(room.name());
        rooms[index] = rooms[--count];
        rooms[count] = null;
        quota.release(room.type());
        disposedCount++;
        counters.roomsDisposed.incrementAndGet();
    }
}
