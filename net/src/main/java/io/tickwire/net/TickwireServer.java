package io.tickwire.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.tickwire.api.GameType;
import io.tickwire.cluster.ClusterConfig;
import io.tickwire.io.HugePages;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.PinnedRoom;
import io.tickwire.sim.RoomQuota;
import io.tickwire.sim.RoomInfo;
import io.tickwire.sim.ShardAgent;
import io.tickwire.sim.ShardConfig;
import io.tickwire.sim.ShardCounters;
import io.tickwire.sim.ShardRouter;
import io.tickwire.sim.TickIdleStrategy;
import io.tickwire.sim.TickInputGather;
import io.tickwire.sim.checkpoint.CheckpointSink;
import io.tickwire.sim.journal.JournalWriterAgent;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import io.tickwire.io.SendRingIoHandler;

/**
 * A running Tickwire server: the shard threads, each an {@link AgentRunner} around a {@link ShardAgent} with its
 * input ring, the Netty event loops serving HTTP and WebSocket, and the metrics bound to both.
 * <pre>
 *   acceptor (1) -> event loops (ioThreads) --tryPublish--> ring[shard] --poll--> shard thread (shards)
 *                   event loops <--one drain task per loop per tick-- encoded frames
 * </pre>
 * A {@link ShardSupervisor} checks the shards every 100 ms from the acceptor's loop: a shard whose loop ended with
 * an error has its clients closed (1011) and gets no more joins, and {@code /health} answers 503 naming it.
 * {@link #drain(Duration, int)} (and {@link #close()}, which drains with the defaults) stops the server within a
 * deadline:
 * <pre>
 *   1. draining: /health answers 503, joins get NOTICE 12 + close 1001; the listening channel closes
 *   2. each shard, on its thread: every client gets NOTICE 12 (reconnect delay) then close 1001; every room's game
 *      gets onDispose                                      (until the deadline less a sweep reserve)
 *   3. sweep, on each event loop: sessions still open get close 1001 (NOTICE 12 first if they asked to join),
 *      other connections close
 *   4. at the deadline, connections still open are closed without waiting; shards and event loops stop
 * </pre>
 * Clustered ({@link #start(ServerConfig, GameCatalog, ClusterConfig)}), the shards checkpoint their rooms into the
 * {@link ClusterLink}, publish them four times a second, and the node joins the cluster once it listens. A drain then
 * has each shard checkpoint every room before it tells its clients (step 2), hands the rooms over to other nodes
 * ({@code release.lua}) while the shards drain, and leaves the cluster once the event loops stopped.
 */
public final class TickwireServer implements AutoCloseable
{
    private static final Logger LOGGER = LoggerFactory.getLogger(TickwireServer.class);
    /**
     * A shard waits at most 1/this of a tick for the event loops' read pass before a tick. At 1000 clients a loop's
     * pass (about two frames per client) took close to a quarter tick on the reference machine, so a quarter left
     * inputs for the next tick; on a core shared with the loop the wait costs nothing, the loop has the core.
     */
    private static final int MAX_GATHER_FRACTION_OF_TICK = 2;

    /** How long {@link #close()} lets a drain take. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

    /** The reconnect delay {@link #close()} suggests to clients, in milliseconds. */
    public static final int DEFAULT_DRAIN_RECONNECT_DELAY_MS = 1000;

    /** The part of a drain's time kept for the sweep, at most: the shards get the rest. */
    private static final long MAX_SWEEP_RESERVE_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long DRAIN_POLL_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final String DRAINING_HEALTH = "draining\n";
    private static final String NOT_IN_CLUSTER_HEALTH = "cluster: not joined to the directory\n";

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
    private final Gateway gateway;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final ScheduledFuture<?> supervision;
    private final ClusterLink cluster;
    private final TickPacer pacer;
    private final TransportChoice transport;
    private final WriteChoice writes;

    private TickwireServer(final ServerConfig config, final GameCatalog catalog, final ClusterConfig clusterConfig)
        throws InterruptedException
    {
        this.config = config;
        this.cluster = clusterConfig == null ? null : new ClusterLink(clusterConfig);
        final ShardConfig shardConfig = cluster == null ? config.shard() : clustered(config.shard(), cluster);
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
        final long tickPeriodNs = config.shard().tickPeriodNs();
        transport = TransportChoice.choose(config.io().transport());
        writes = WriteChoice.choose(config.io().writes(), transport.name());
        final EventLoopOutbounds outbounds = new EventLoopOutbounds();
        metrics.bindWrites(outbounds);
        pacer = config.io().pacing() == IoConfig.Pacing.TICK ?
            new TickPacer(shardCount, tickPeriodNs, tickPeriodNs / MAX_GATHER_FRACTION_OF_TICK) : null;
        for (int shard = 0; shard < shardCount; shard++)
        {
            rings[shard] = new InputRing(shardConfig.ringCapacity());
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
                shard, shardConfig, catalog, quota, rings[shard], router, clock, errorLogger,
                shardCounters[shard], pinned, pacer == null ? TickInputGather.NONE : pacer, outbounds);
            agent.snapshotBodies(new PooledSnapshotBodies());
            shardAgents[shard] = agent;
            metrics.bindShard(shard, shardCounters[shard], rings[shard], agent.tickTimings());
            shardRunners[shard] = new AgentRunner(new TickIdleStrategy(agent, clock), errorLogger, null, agent);
            AgentRunner.startOnThread(shardRunners[shard], shardThreads);
        }

        acceptorGroup = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("tickwire-acceptor"), transport.handlers());
        final IoHandlerFactory ioHandlers =
            writes.batched() ? SendRingIoHandler.wrap(transport.handlers()) : transport.handlers();
        ioGroup = new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("tickwire-io"),
            pacer == null ? ioHandlers : pacer.wrap(ioHandlers));
        if (pacer != null)
        {
            metrics.bindIo(pacer);
        }

        gateway = new Gateway(rings, router, catalog, netCounters, this::publishedRooms, outbounds);
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
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ServerInitializer(
                    gateway, config, metrics, this::publishedRooms,
                    () -> healthProblems(supervisor), tokens, tls, cluster,
                    pacer == null ? loop -> null : pacer::readPassOf))
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
        if (cluster != null)
        {
            joinCluster();
        }

        logAccess(access);
        final HugePages.Advice heapPages = HugePages.adviceForThisProcess();
        if (heapPages.warn())
        {
            LOGGER.warn(heapPages.message());
        }
        else
        {
            LOGGER.info(heapPages.message());
        }
        LOGGER.info("Transport {} ({}), event loops paced {}", transport.name(), transport.reason(),
            pacer == null ? "by input (a wake-up per ready socket)" : "by tick (a read pass before each tick, and read-aheads between)");
        LOGGER.info("Snapshot writes {} ({})", writes.describe(), writes.reason());
        LOGGER.info(
            "Tickwire listening on {}://{}:{}{} ({} shard(s), {} event loop(s), {} Hz, {} transport, games {}, " +
                "rooms {})",
            access.tls() == null ? "ws" : "wss", config.host(), port(), ServerInitializer.WEBSOCKET_PATH, shardCount,
            config.ioThreads(), config.shard().tickRateHz(), transport.name(), gameNames(catalog),
            config.pinnedRooms());
    }

    /**
     * Starts a server hosting the games of {@code catalog} and returns once it accepts connections.
     *
     * @throws IllegalArgumentException when a pinned room names a game the catalog lacks.
     */
    public static TickwireServer start(final ServerConfig config, final GameCatalog catalog)
        throws InterruptedException
    {
        return new TickwireServer(config, catalog, null);
    }

    /**
     * Starts a node of a cluster (see the class comment) and returns once it accepts connections and has joined the
     * cluster; with a null {@code clusterConfig}, a single node as {@link #start(ServerConfig, GameCatalog)}.
     *
     * @throws IllegalStateException when Redis cannot be reached.
     */
    public static TickwireServer start(
        final ServerConfig config, final GameCatalog catalog, final ClusterConfig clusterConfig)
        throws InterruptedException
    {
        return new TickwireServer(config, catalog, clusterConfig);
    }

    /**
     * The shard settings of a cluster node: rooms checkpoint into the cluster every checkpoint interval (rounded up
     * to whole ticks), restored seats wait the re-home grace, rooms are published every sync period. With a journal
     * writer ({@code --journal-dir}), each checkpoint is offered to it too: it takes those that start a file (and with
     * cluster checkpoints off, rooms checkpoint every journal rotation for it).
     */
    private static ShardConfig clustered(final ShardConfig shard, final ClusterLink cluster)
    {
        final ClusterConfig settings = cluster.config();
        final JournalWriterAgent journal =
            shard.journals() instanceof JournalWriterAgent ? (JournalWriterAgent)shard.journals() : null;
        final long clusterIntervalTicks = (settings.checkpointIntervalMs() * shard.tickRateHz() + 999) / 1000;
        final long intervalTicks = clusterIntervalTicks == 0 && journal != null ? journal.rotateTicks() :
            clusterIntervalTicks;
        final long graceTicks = settings.rehomeGraceMs() * shard.tickRateHz() / 1000;
        final CheckpointSink sink = journal != null ? journal.alongside(cluster) : cluster;
        return shard
            .withCheckpoints((int)Math.min(Integer.MAX_VALUE, intervalTicks), graceTicks, sink)
            .withRoomPublishPeriodNs(TimeUnit.MILLISECONDS.toNanos(settings.syncPeriodMs()));
    }

    /**
     * Joins the cluster once the server listens, so no matchmaker hands out its address before it accepts; a node
     * that cannot reach Redis does not start.
     */
    private void joinCluster()
    {
        try
        {
            cluster.start(new ClusterHostAdapter(shardAgents, gateway.router(), gateway, netCounters,
                cluster::restartAfterGone));
            metrics.bindCluster(cluster::counters);
        }
        catch (final RuntimeException ex)
        {
            serverChannel.close().awaitUninterruptibly();
            stopShardsAndLoops();
            throw ex;
        }
    }

    /**
     * @return clustered: this node's id in the directory (new at every start, and after being reaped); null on a
     * single node.
     */
    public String nodeId()
    {
        return cluster == null ? null : cluster.nodeId();
    }

    /**
     * Serves the journal writer's counters at {@code /metrics} ({@code --journal-dir}).
     */
    public void bindJournal(final JournalWriterAgent journal)
    {
        metrics.bindJournal(journal);
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

    /**
     * @return the transport the event loops run: io_uring, epoll or nio.
     */
    public String transportName()
    {
        return transport.name();
    }

    /**
     * @return whether the event loops batch each drain's snapshot writes in one io_uring submission.
     */
    public boolean writesBatched()
    {
        return writes.batched();
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

    /**
     * Drains with {@link #DEFAULT_DRAIN_TIMEOUT} and {@link #DEFAULT_DRAIN_RECONNECT_DELAY_MS}.
     */
    public void close()
    {
        drain(DEFAULT_DRAIN_TIMEOUT, DEFAULT_DRAIN_RECONNECT_DELAY_MS);
    }

    /**
     * @return what {@code /health} reports, empty when healthy: draining; a failed or stalled shard; clustered, no
     * node in the directory (not joined yet, or replacing one reaped while alive), so that an orchestrator routes no
     * player here before the matchmaker can place one. Event loops.
     */
    private String healthProblems(final ShardSupervisor supervisor)
    {
        if (gateway.isDraining())
        {
            return DRAINING_HEALTH;
        }
        final String shards = supervisor.problems();
        return cluster == null || cluster.isJoined() ? shards : shards + NOT_IN_CLUSTER_HEALTH;
    }

    /**
     * @return true from the start of a drain (or close) on: {@code /health} answers 503. Any thread.
     */
    public boolean isDraining()
    {
        return gateway.isDraining();
    }

    /**
     * Stops the server gracefully within {@code timeout} (see the class comment), and returns when it has stopped.
     * Only the first call drains; later ones return at once. Any thread but the server's own.
     *
     * @param timeout          the deadline of the whole drain, from this call.
     * @param reconnectDelayMs the delay NOTICE 12 suggests to clients before they reconnect, in milliseconds.
     * @return true when everything finished before the deadline; false when shards or connections were cut off, or
     * when the server was already stopping.
     */
    public boolean drain(final Duration timeout, final int reconnectDelayMs)
    {
        if (timeout.isNegative() || reconnectDelayMs < 0)
        {
            throw new IllegalArgumentException("a drain needs a timeout and a reconnect delay of 0 or more");
        }
        if (!stopping.compareAndSet(false, true))
        {
            return false;
        }
        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + timeout.toNanos();
        LOGGER.info("Tickwire draining: {} connection(s), deadline {} ms, reconnect delay {} ms",
            gateway.connections().size(), timeout.toMillis(), reconnectDelayMs);
        gateway.startDraining(reconnectDelayMs);
        serverChannel.close().awaitUninterruptibly(timeout.toMillis());
        final long sweepReserveNs = Math.min(MAX_SWEEP_RESERVE_NS, timeout.toNanos() / 5);
        final Duration handOverTimeout = Duration.ofNanos(Math.max(0, deadlineNs - sweepReserveNs - System.nanoTime()));
        // The node waits for drain checkpoints a quarter less than this thread waits for it, so that, when some
        // never come, it still hands the rooms over with the checkpoints they have before this node leaves.
        final CompletionStage<Void> handOver =
            cluster == null ? null : cluster.startHandOver(handOverTimeout.multipliedBy(3).dividedBy(4));
        for (final ShardAgent agent : shardAgents)
        {
            agent.requestDrain(reconnectDelayMs, cluster != null);
        }
        final boolean handedOver = cluster == null || ClusterLink.awaitHandOver(handOver, handOverTimeout);
        final boolean shardsDrained = awaitShardsDrained(deadlineNs - sweepReserveNs);
        for (final Channel connection : gateway.connections())
        {
            connection.pipeline().fireUserEventTriggered(DrainEvent.SWEEP);
        }
        final long closeWaitMs = TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadlineNs - System.nanoTime()));
        final boolean connectionsClosed = gateway.connections().newCloseFuture().awaitUninterruptibly(closeWaitMs);
        final int forced = gateway.connections().size();
        if (forced > 0)
        {
            netCounters.drainForcedCloses.addAndGet(forced);
            gateway.connections().close().awaitUninterruptibly(MAX_SWEEP_RESERVE_NS, TimeUnit.NANOSECONDS);
        }
        supervision.cancel(false);
        stopShards(shardsDrained);
        stopLoops();
        if (cluster != null)
        {
            cluster.close();
        }
        final boolean inTime = shardsDrained && connectionsClosed && handedOver;
        LOGGER.info("Tickwire stopped: drained in {} ms{}",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs),
            inTime ? "" : " (deadline passed: " + forced + " connection(s) cut off, shards drained " + shardsDrained +
                ")");
        return inTime;
    }

    private boolean awaitShardsDrained(final long untilNs)
    {
        for (final ShardAgent agent : shardAgents)
        {
            while (!agent.isDrainedOrFailed())
            {
                if (System.nanoTime() - untilNs >= 0)
                {
                    return false;
                }
                LockSupport.parkNanos(DRAIN_POLL_NS);
            }
        }
        return true;
    }

    /**
     * Stops the shard threads. A shard that did not drain in time may be stuck in a game's callback: its runner is
     * closed on a daemon thread instead, so the drain keeps its deadline.
     */
    private void stopShards(final boolean shardsDrained)
    {
        if (shardsDrained)
        {
            CloseHelper.closeAll(shardRunners);
        }
        else
        {
            final Thread closer = new Thread(() -> CloseHelper.closeAll(shardRunners), "tickwire-shard-closer");
            closer.setDaemon(true);
            closer.start();
        }
    }

    private void stopShardsAndLoops()
    {
        CloseHelper.closeAll(shardRunners);
        stopLoops();
        if (cluster != null)
        {
            cluster.close();
        }
    }

    private void stopLoops()
    {
        acceptorGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        ioGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
