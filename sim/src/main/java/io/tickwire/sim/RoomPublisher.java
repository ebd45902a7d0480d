package io.tickwire.sim;

import java.util.List;

/**
 * Publishes a shard's rooms for other threads ({@code /rooms}, metrics, the cluster's sync): an immutable list,
 * built on the shard thread at most once per {@link ShardConfig#roomPublishPeriodNs()} (a second, or 250 ms in a
 * cluster) and handed over with a volatile write. Building it allocates, which is why it is rare. A shard with
 * checkpoints (a cluster node's, or one that journals) also publishes at the end of a cycle that disposed a room, so
 * a room that closed is listed for at most that cycle: a cluster node that starts a drain tells the rooms that closed
 * on their own from the rooms it hands over by the list. Without checkpoints nothing relies on it, and a game that
 * opens and closes rooms every tick would make every tick build the list.
 */
final class RoomPublisher
{
    private final int shardId;
    private final long publishPeriodNs;
    private final boolean publishesClosures;
    private long publishedNs;
    private long publishedDisposedCount;
    private volatile List<RoomInfo> published = List.of();

    /**
     * @param publishesClosures whether to publish at the end of a cycle that disposed a room (see the class comment).
     */
    RoomPublisher(final int shardId, final long publishPeriodNs, final boolean publishesClosures)
    {
        this.shardId = shardId;
        this.publishPeriodNs = publishPeriodNs;
        this.publishesClosures = publishesClosures;
    }

    /**
     * Publishes the rooms when the last publication is a period old, or a room was disposed since when it publishes
     * closures. Shard thread.
     */
    void maybePublish(final RoomRegistry rooms, final long nowNs)
    {
        if (nowNs - publishedNs >= publishPeriodNs ||
            publishesClosures && rooms.disposedCount() != publishedDisposedCount)
        {
            publish(rooms, nowNs);
        }
    }

    /**
     * Publishes the rooms now. Shard thread, or the shard's constructor.
     */
    void publish(final RoomRegistry rooms, final long nowNs)
    {
        final RoomInfo[] infos = new RoomInfo[rooms.count()];
        for (int i = 0; i < infos.length; i++)
        {
            final Room room = rooms.room(i);
            infos[i] = new RoomInfo(
                room.name(), room.typeName(), room.clientCount(), room.type().maxClients(), shardId, room.tick(),
                room.entities().count(), room.isLocked(), room.isPrivate(), room.metadataCopy(), room.epoch(),
                room.restoredFromTick(), room.recentSeatedReservations());
        }
        publishedNs = nowNs;
        publishedDisposedCount = rooms.disposedCount();
        published = List.of(infos);
    }

    /**
     * Any thread.
     *
     * @return the rooms as last published, in no particular order.
     */
    List<RoomInfo> published()
    {
        return published;
    }
}
