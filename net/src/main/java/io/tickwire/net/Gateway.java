package io.tickwire.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.tickwire.api.GameType;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.RoomInfo;
import io.tickwire.sim.ShardRouter;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the event loops share: the shards' input rings and the router that picks one, the room types, the outbound
 * hand-off of each event loop, session ids and the network counters. Thread safe.
 */
public final class Gateway
{
    private final InputRing[] rings;
    private final ShardRouter router;
    private final NetCounters counters;
    private final GameCatalog catalog;
    private final Supplier<List<RoomInfo>> publishedRooms;
    private final AtomicLong nextSessionId = new AtomicLong();
    private final ConcurrentMap<EventLoop, EventLoopOutbound> outbounds = new ConcurrentHashMap<>();

    /**
     * @param publishedRooms every shard's rooms as last published (at most about a second old); any thread.
     */
    public Gateway(
        final InputRing[] rings, final ShardRouter router, final GameCatalog catalog, final NetCounters counters,
        final Supplier<List<RoomInfo>> publishedRooms)
    {
        if (rings.length != router.shardCount())
        {
            throw new IllegalArgumentException("one ring per shard: " + rings.length + " != " + router.shardCount());
        }
        this.rings = rings.clone();
        this.router = router;
        this.counters = counters;
        this.catalog = catalog;
        this.publishedRooms = publishedRooms;
    }

    /**
     * Picks the shard for an "any open room" join: the shard of a public room of the type that had space when the
     * shards last published their rooms, else the next shard in turn (which opens a room when it has none open). The
     * list may be a second old, so the shard checks again. Cold path: scans the list.
     */
    public int shardForAnyRoom(final GameType type)
    {
        for (final RoomInfo room : publishedRooms.get())
        {
            if (!room.hidden() && room.isOpen() && type.name().equals(room.type()))
            {
                return room.shard();
            }
        }
        return router.shardForAnyRoom();
    }

    /**
     * Creates the session of a channel that completed its WebSocket handshake, with the identity the upgrade guard
     * verified, if any. On the channel's event loop.
     */
    public Session newSession(final Channel channel)
    {
        final EventLoopOutbound outbound = outbounds.computeIfAbsent(channel.eventLoop(), EventLoopOutbound::new);
        final ChannelHandlerContext encoder = channel.pipeline().context(WebSocketFrameEncoder.class);
        final Session session = new Session(
            nextSessionId.incrementAndGet(), channel, encoder != null ? encoder : channel, outbound, counters);
        session.identity(channel.attr(Session.IDENTITY).getAndSet(null));
        return session;
    }

    public InputRing ring(final int shard)
    {
        return rings[shard];
    }

    public ShardRouter router()
    {
        return router;
    }

    /**
     * @return the room types the server hosts.
     */
    public GameCatalog catalog()
    {
        return catalog;
    }

    public NetCounters counters()
    {
        return counters;
    }
}
