package io.tickwire.sim;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Publishes a shard's rooms for other threads ({@code /rooms}, metrics): an immutable list, built on the shard
 * thread at most once a second and handed over with a volatile write. Building it allocates, which is why it is
 * rare.
 */
final class RoomPublisher
{
    private static final long PUBLISH_PERIOD_NS = TimeUnit.SECONDS.toNanos(1);

    private final int shardId;
    private long publishedNs;
    private volatile List<RoomInfo> published = List.of();

    RoomPublisher(final int shardId)
    {
        this.shardId = shardId;
    }

    /**
     * Publishes the rooms when the last publication is a period old. Shard thread.
     */
    void maybePublish(final RoomRegistry rooms, final long nowNs)
    {
        if (nowNs - publishedNs >= PUBLISH_PERIOD_NS)
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
                room.entities().count(), room.isLocked(), room.isPrivate(), room.metadataCopy());
        }
        publishedNs = nowNs;
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
