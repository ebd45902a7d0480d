package io.tickwire.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.tickwire.api.GameType;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.PinnedRoom;
import io.tickwire.sim.RoomQuota;
import io.tickwire.sim.RoomInfo;
import io.tickwire.sim.ShardAgent;
import io.tickwire.sim.ShardCounters;
import io.tickwire.sim.ShardRouter;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A running Tickwire server: the shard threads, each an {@link AgentRunner} around a {@link ShardAgent} with its
 * input ring, the Netty event loops serving HTTP and WebSocket, and the metrics bound to both.
 * <pre>
 *   acceptor (1) -> event loops (ioThreads) --tryPublish--> ring[shard] --poll--> shard thread (shards)
 *                   event loops <--one drain task per loop per tick-- encoded frames
 * </pre>
 * A {@link ShardSupervisor} checks the shards every 100 ms from the acceptor's loop: a shard whose loop ended with
 * an error has its clients closed (1011) and gets no more joins, and {@code /health} answers 503 naming it.
 * {@link #close()} stops accepting, stops the shards (which send every client a close frame), then stops the event
 * loops once those frames are written.
 */
public final class TickwireServer implements AutoCloseable
{
    private static final Logger LOGGER = LoggerFactory.getLogger(TickwireServer.class);
    private static final long SHARD_IDLE_MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ServerConfig config;
    private final NetCounters netCounters = new NetCounters();
    private final DistinctErrorLogger errorLogger = new DistinctErrorLogger();
    private final InputRing[] rings;
    private final ShardCounters[] shardCounters;
    private final ShardAgent[] shardAgents;
    private final AgentRunner[] shardRunners;
    private final ServerMetrics metrics = new ServerMetrics(netCounters);
    private final EventLoopGroup acceptorGroup;
    private final EventLoopGroup ioGroup;
    private final Channel serverChannel;
    private final ScheduledFuture<?> supervision;

    private TickwireServer(final ServerConfig config, final GameCatalog catalog) throws InterruptedException
    {
        this.config = config;
        final int shardCount = config.shards();
        final ShardRouter router = new ShardRouter(shardCount);
        final RoomQuota quota = new RoomQuota(config.maxRooms(), catalog);
        final List<PinnedRoom> allPinned = pinnedRooms(config, catalog);
        rings = new InputRing[shardCount];
        shardCounters = new ShardCounters[shardCount];
        shardAgents = new ShardAgent[shardCount];
        shardRunners = new AgentRunner[shardCount];

        final ThreadFactory shardThreads = new DefaultThreadFactory("tickwire-shard");
        final SystemNanoClock clock = new SystemNanoClock();
        for (int shard = 0; shard < shardCount; shard++)
        {
            rings[shard] = new InputRing(config.shard().ringCapacity());
            shardCounters[shard] = new ShardCounters();
            final List<PinnedRoom> pinned = new ArrayList<>();
            for (final PinnedRoom room : allPinned)
            {
                if (router.shardOf(room.name()) == shard)
                {
                    pinned.add(room);
                }
            }
            final ShardAgent agent = new ShardAgent(
                shard, config.shard(), catalog, quota, rings[shard], router, clock, errorLogger,
                shardCounters[shard], pinned);
            shardAgents[shard] = agent;
            metrics.bindShard(shard, shardCounters[shard], rings[shard], agent.tickTimings());
            shardRunners[shard] = new AgentRunner(
                new BackoffIdleStrategy(10, 5, 1000, SHARD_IDLE_MAX_PARK_NS), errorLogger, null, agent);
            AgentRunner.startOnThread(shardRunners[shard], shardThreads);
        }

        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory ioHandlerFactory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends ServerChannel> channelType =
            epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        acceptorGroup = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("tickwire-acceptor"), ioHandlerFactory);
        ioGroup = new MultiThreadIoEventLoopGroup(
            config.ioThreads(), new DefaultThreadFactory("tickwire-io"), ioHandlerFactory);

        final Gateway gateway = new Gateway(rings, router, catalog, netCounters, this::publishedRooms);
        final ShardSupervisor supervisor = new ShardSupervisor(
            shardAgents, shardCounters, gateway, clock, config.shard().tickPeriodNs());
        supervision = acceptorGroup.next().scheduleAtFixedRate(supervisor, ShardSupervisor.CHECK_PERIOD_MS,
            ShardSupervisor.CHECK_PERIOD_MS, TimeUnit.MILLISECONDS);
        final AccessConfig access = config.access();
        try
        {
            final SslContext tls = access.tls() == null ? null : ServerTls.context(access.tls());
            final TokenVerifier tokens =
                access.tokens() == null ? null : new TokenVerifier(access.tokens(), Clock.systemUTC());
            serverChannel = new ServerBootstrap()
                .group(acceptorGroup, ioGroup)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ServerInitializer(
                    gateway, config, metrics, this::publishedRooms, supervisor::problems, tokens, tls))
                .bind(config.host(), config.port())
                .sync()
                .channel();
            ioGroup.scheduleAtFixedRate(netCounters.violations::logSummary, ViolationLog.SUMMARY_INTERVAL_SECONDS,
                ViolationLog.SUMMARY_INTERVAL_SECONDS, TimeUnit.SECONDS);
        }
        catch (final InterruptedException | RuntimeException ex)
        {
            stopShardsAndLoops();
            throw ex;
        }

        logAccess(access);
        LOGGER.info(
            "Tickwire listening on {}://{}:{}{} ({} shard(s), {} event loop(s), {} Hz, {} transport, games {}, " +
                "rooms {})",
            access.tls() == null ? "ws" : "wss", config.host(), port(), ServerInitializer.WEBSOCKET_PATH, shardCount,
            config.ioThreads(), config.shard().tickRateHz(), epoll ? "epoll" : "nio", gameNames(catalog), config.pinnedRooms());
    }

    /**
     * Starts a server hosting the games of {@code catalog} and returns once it accepts connections.
     *
     * @throws IllegalArgumentException when a pinned room names a game the catalog lacks.
     */
    public static TickwireServer start(final ServerConfig config, final GameCatalog catalog)
        throws InterruptedException
    {
        return new TickwireServer(config, catalog);
    }

    private static void logAccess(final AccessConfig access)
    {
        if (access.tokens() == null)
        {
            LOGGER.warn("NO AUTHENTICATION: no token secret is configured, so any client may connect and join " +
                "without a token. Fine for development; set --token-secret-file or TICKWIRE_TOKEN_SECRET in " +
                "production.");
        }
        else
        {
            LOGGER.info("clients need a token: {}", access.tokens());
        }
        if (access.tls() != null && access.tls().selfSigned())
        {
            LOGGER.warn("TLS uses a self-signed certificate for {}: development only", ServerTls.SELF_SIGNED_HOST);
        }
        LOGGER.info("connections: at most {} in total, {} per address; handshake within {} ms; origins {}",
            access.maxConnections(), access.maxConnectionsPerAddress(), access.handshakeTimeoutMs(),
            access.allowedOrigins().isEmpty() ? "any" : access.allowedOrigins());
    }

    private static List<PinnedRoom> pinnedRooms(final ServerConfig config, final GameCatalog catalog)
    {
        final List<PinnedRoom> rooms = new ArrayList<>();
        for (final String spec : config.pinnedRooms())
        {
            final int colon = spec.indexOf(':');
            final GameType type = catalog.get(spec.substring(0, colon));
            if (type == null)
            {
                throw new IllegalArgumentException("room " + spec + ": no game " + spec.substring(0, colon));
            }
            rooms.add(new PinnedRoom(type, spec.substring(colon + 1)));
        }
        return rooms;
    }

    private static List<String> gameNames(final GameCatalog catalog)
    {
        final List<String> names = new ArrayList<>();
        for (final GameType type : catalog.types())
        {
            names.add(type.name());
        }
        return names;
    }

    /**
     * @return the bound port, useful when the configured port was 0.
     */
    public int port()
    {
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    public ServerConfig config()
    {
        return config;
    }

    public NetCounters netCounters()
    {
        return netCounters;
    }

    public int shardCount()
    {
        return rings.length;
    }

    public ShardCounters shardCounters(final int shard)
    {
        return shardCounters[shard];
    }

    public InputRing ring(final int shard)
    {
        return rings[shard];
    }

    /**
     * @return every shard's rooms as last published (at most about a second old), shard by shard. Any thread.
     */
    public List<RoomInfo> publishedRooms()
    {
        final List<RoomInfo> rooms = new ArrayList<>();
        for (final ShardAgent agent : shardAgents)
        {
            rooms.addAll(agent.publishedRooms());
        }
        return rooms;
    }

    /**
     * @return errors caught at the shard loop boundary, since start.
     */
    public long errorCount()
    {
        return errorLogger.errorCount();
    }

    public void close()
    {
        supervision.cancel(false);
        serverChannel.close().syncUninterruptibly();
        stopShardsAndLoops();
        LOGGER.info("Tickwire stopped");
    }

    private void stopShardsAndLoops()
    {
        CloseHelper.closeAll(shardRunners);
        acceptorGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        ioGroup.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
