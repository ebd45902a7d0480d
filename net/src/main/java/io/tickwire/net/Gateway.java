package io.tickwire.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.FileDescriptor;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tickwire.api.GameType;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.Notice;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.RoomInfo;
import io.tickwire.sim.ShardRouter;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the event loops share: the shards' input rings and the router that picks one, the room types, the outbound
 * hand-off of each event loop, session ids and the network counters; which shards have failed, with the sessions
 * routed to each so a failed shard's clients can be closed; every open connection and whether the server is
 * draining. Thread safe.
 */
public final class Gateway
{
    private static final int NOT_DRAINING = -1;
    /** Room for a NOTICE with a short text. */
    private static final int NOTICE_BUFFER_BYTES = 256;

    private final InputRing[] rings;
    private final ShardRouter router;
    private final NetCounters counters;
    private final GameCatalog catalog;
    private final Supplier<List<RoomInfo>> publishedRooms;
    private final AtomicLong nextSessionId = new AtomicLong();
    private final EventLoopOutbounds outbounds;
    private final AtomicIntegerArray failedShards;
    private final List<Set<Session>> routedSessions;
    private final ConcurrentMap<String, Set<Session>> roomSessions = new ConcurrentHashMap<>();
    private final ChannelGroup connections = new DefaultChannelGroup("tickwire", GlobalEventExecutor.INSTANCE);
    private volatile int drainReconnectDelayMs = NOT_DRAINING;

    /**
     * @param publishedRooms every shard's rooms as last published (at most about a second old); any thread.
     * @param outbounds      the event loops' hand-offs, whose flush the shards call after their snapshots.
     */
    public Gateway(
        final InputRing[] rings, final ShardRouter router, final GameCatalog catalog, final NetCounters counters,
        final Supplier<List<RoomInfo>> publishedRooms, final EventLoopOutbounds outbounds)
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
        this.outbounds = outbounds;
        this.failedShards = new AtomicIntegerArray(rings.length);
        final List<Set<Session>> sessions = new ArrayList<>(rings.length);
        for (int i = 0; i < rings.length; i++)
        {
            sessions.add(ConcurrentHashMap.newKeySet());
        }
        this.routedSessions = List.copyOf(sessions);
    }

    /**
     * Picks the shard for an "any open room" join: the shard of a public room of the type that had space when the
     * shards last published their rooms, else the next shard in turn (which opens a room when it has none open). The
     * list may be a second old, so the shard checks again. A failed shard is never picked while another is live.
     * Cold path: scans the list.
     */
    public int shardForAnyRoom(final GameType type)
    {
        for (final RoomInfo room : publishedRooms.get())
        {
            if (!room.hidden() && room.isOpen() && type.name().equals(room.type()) && !isShardFailed(room.shard()))
            {
                return room.shard();
            }
        }
        int shard = router.shardForAnyRoom();
        for (int i = 1; i < rings.length && isShardFailed(shard); i++)
        {
            shard = router.shardForAnyRoom();
        }
        return shard;
    }

    /**
     * @return true once the shard's loop has ended with an error: joins are no longer routed to it.
     */
    public boolean isShardFailed(final int shard)
    {
        return failedShards.get(shard) != 0;
    }

    /**
     * Records that a join of {@code session} went into {@code shard}'s ring, so the session is closed if the shard
     * fails or, clustered, if its room moves to another node; it is forgotten when its channel closes. Call it after
     * the publication, then check {@link #isShardFailed(int)}: a shard that fails in between is then seen by one side
     * or the other. Event loop.
     *
     * @param room the room the join names; empty for "any room" and generated names (never clustered).
     */
    public void onJoinRouted(final int shard, final Session session, final Channel channel, final String room)
    {
        final Set<Session> sessions = routedSessions.get(shard);
        sessions.add(session);
        channel.closeFuture().addListener(future -> sessions.remove(session));
        if (!room.isEmpty())
        {
            final Set<Session> inRoom = roomSessions.computeIfAbsent(room, name -> ConcurrentHashMap.newKeySet());
            inRoom.add(session);
            channel.closeFuture().addListener(future -> forget(room, session));
        }
    }

    /**
     * Clustered: closes the sessions of rooms this node no longer owns, each with NOTICE 12 (reconnect at once, through
     * the matchmaker) and close 1001, so their clients find the room where it runs now; their seats here are not held
     * for a resume. Any thread; cold path.
     *
     * @param rooms the rooms' names; null for every room.
     * @return the sessions closed.
     */
    public int closeRoomSessions(final Collection<String> rooms)
    {
        final UnsafeBuffer notice = new UnsafeBuffer(new byte[NOTICE_BUFFER_BYTES]);
        final int length = new ControlCodec().encode(
            new Notice(Notice.CODE_SERVER_DRAINING, 0, "room moved"), notice, 0);
        int closed = 0;
        for (final String room : rooms == null ? roomSessions.keySet() : rooms)
        {
            final Set<Session> sessions = roomSessions.remove(room);
            for (final Session session : sessions == null ? Set.<Session>of() : sessions)
            {
                if (session.isOpen())
                {
                    // No seat is held here for a resume: the room runs on another node now, and a held seat would let
                    // a client resume into this copy of it.
                    session.markNoResume();
                    session.sendControl(notice, 0, length);
                    session.close(CloseCodes.GOING_AWAY, "room moved");
                    closed++;
                }
            }
        }
        counters.roomMovedCloses.addAndGet(closed);
        return closed;
    }

    private void forget(final String room, final Session session)
    {
        final Set<Session> sessions = roomSessions.get(room);
        if (sessions != null)
        {
            sessions.remove(session);
            if (sessions.isEmpty())
            {
                roomSessions.remove(room, sessions);
            }
        }
    }

    /**
     * Marks a shard failed and closes, with 1011, every session routed to it: its rooms are gone. Any thread; the
     * first call for a shard does the work.
     *
     * @return the sessions closed.
     */
    public int onShardFailed(final int shard)
    {
        if (!failedShards.compareAndSet(shard, 0, 1))
        {
            return 0;
        }
        int closed = 0;
        for (final Session session : routedSessions.get(shard))
        {
            if (session.isOpen())
            {
                session.close(CloseCodes.INTERNAL_ERROR, "shard failed");
                closed++;
            }
        }
        counters.shardFailureCloses.addAndGet(closed);
        return closed;
    }

    /**
     * Creates the session of a channel that completed its WebSocket handshake, with the identity the upgrade guard
     * verified, if any, and (clustered) its reserved seat. A plain (not TLS) epoll connection's session may write
     * frames straight to its socket. On the channel's event loop.
     */
    public Session newSession(final Channel channel)
    {
        final EventLoopOutbound outbound = outbounds.of(channel.eventLoop());
        final ChannelHandlerContext encoder = channel.pipeline().context(WebSocketFrameEncoder.class);
        final boolean plainEpoll =
            channel instanceof EpollSocketChannel && channel.pipeline().get(SslHandler.class) == null;
        final FileDescriptor socket = plainEpoll ? ((EpollSocketChannel)channel).fd() : null;
        final Session session = new Session(
            nextSessionId.incrementAndGet(), channel, encoder != null ? encoder : channel, socket, outbound, counters);
        session.identity(channel.attr(Session.IDENTITY).getAndSet(null));
        session.reservedSeat(channel.attr(Session.RESERVED_SEAT).getAndSet(null));
        return session;
    }

    /**
     * Tracks an accepted connection until it closes, so a drain can reach it. On the channel's event loop.
     */
    void track(final Channel channel)
    {
        connections.add(channel);
    }

    /**
     * @return every connection accepted and not yet closed.
     */
    ChannelGroup connections()
    {
        return connections;
    }

    /**
     * Marks the server draining: {@code /health} answers 503 and a join is answered with NOTICE 12 and close 1001.
     *
     * @param reconnectDelayMs the delay clients are told to wait before reconnecting, in milliseconds, 0 or more.
     */
    public void startDraining(final int reconnectDelayMs)
    {
        drainReconnectDelayMs = reconnectDelayMs;
    }

    public boolean isDraining()
    {
        return drainReconnectDelayMs != NOT_DRAINING;
    }

    /**
     * @return the delay clients are told to wait before reconnecting, in milliseconds; 0 when not draining.
     */
    public int drainReconnectDelayMs()
    {
        return Math.max(0, drainReconnectDelayMs);
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
