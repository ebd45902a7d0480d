package io.tickwire.sim;

import java.util.List;

/**
 * Publishes a shard's rooms for other threads ({@code /rooms}, metrics, the cluster's sync): an immutable list,
 * built on the shard thread at most once per {@link ShardConfig#roomPublishPeriodNs()} (a second, or 250 ms in a
 * cluster), and at once after a room was disposed, and handed over with a volatile write. Building it allocates,
 * which is why it is rare. A room that closed is therefore never listed as running: a cluster node that starts a
 * drain tells the rooms that closed on their own from the rooms it hands over by the list.
 */
final class RoomPublisher
{
    private final int shardId;
    private final long publishPeriodNs;
    private long publishedNs;
    private long publishedDisposedCount;
    private volatile List<RoomInfo> published = List.of();

    RoomPublisher(final int shardId, final long publishPeriodNs)
    {
        this.shardId = shardId;
        this.publishPeriodNs = publishPeriodNs;
    }

    /**
     * Publishes the rooms when the last publication is a period old, or a room was disposed since. Shard thread.
     */
    void maybePublish(final RoomRegistry rooms, final long nowNs)
    {
        if (nowNs - publishedNs >= publishPeriodNs || rooms.disposedCount() != publishedDisposedCount)
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
