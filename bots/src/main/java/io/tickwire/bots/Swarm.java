package io.tickwire.bots;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs many bots on a few event loop threads against one server, then reports.
 * <pre>
 *   caller thread                          event loop k (of --threads)              server
 *   run(): build groups and bots  ------>  BotGroup k: bots i with i % threads == k
 *          schedule connect i at i/ramp -> Bot.connect -> handshake -> JOIN  ------->
 *          every second: read counters     <- WELCOME, then per bot: input timer ---->
 *            (volatile) -> progress        <- SNAPSHOT per tick: verify, count
 *          at the duration: stopAll  ----> close frame (1000), wait for the close
 *          close timeout: forceCloseAll -> cut the rest off
 *          shut the loops down, collect
 * </pre>
 * A run always ends by itself: it lasts the configured duration (less if every bot has finished), then at most the
 * close timeout, {@link #FORCE_CLOSE_WAIT_NS} and {@link #SHUTDOWN_WAIT_MS} more. Bots connect only to the address
 * of the configured URL.
 * <p>
 * Not thread safe: call {@link #run(Consumer)} from one thread, once.
 */
public final class Swarm
{
    /** Interval between progress samples. */
    public static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    /** How long to wait for connections to close after they are forced closed. */
    static final long FORCE_CLOSE_WAIT_NS = TimeUnit.SECONDS.toNanos(1);

    /** Bound on shutting the event loops down. */
    static final long SHUTDOWN_WAIT_MS = 5_000;

    private static final NanoClock CLOCK = SystemNanoClock.INSTANCE;

    private final SwarmConfig config;

    public Swarm(final SwarmConfig config)
    {
        this.config = config;
    }

    /**
     * Runs the swarm without progress reports.
     *
     * @see #run(Consumer)
     */
    public SwarmResult run() throws InterruptedException
    {
        return run(progress -> {});
    }

    /**
     * Runs the swarm and blocks until it has ended and its event loops have shut down.
     *
     * @param progressListener called on the calling thread about once every {@link #PROGRESS_INTERVAL_NS}.
     * @return the figures of the run.
     * @throws IllegalArgumentException when the host of the URL does not resolve.
     * @throws InterruptedException     when the calling thread is interrupted; the event loops are still shut down.
     */
    public SwarmResult run(final Consumer<SwarmProgress> progressListener) throws InterruptedException
    {
        final InetSocketAddress server = new InetSocketAddress(config.url().getHost(), config.port());
        if (server.isUnresolved())
        {
            throw new IllegalArgumentException("cannot resolve the host of " + config.url());
        }

        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory ioHandlerFactory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends SocketChannel> channelClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        final MultiThreadIoEventLoopGroup loopGroup = new MultiThreadIoEventLoopGroup(
            config.threads(), new DefaultThreadFactory("tickwire-bots", true), ioHandlerFactory);

        final CountDownLatch finishedBots = new CountDownLatch(config.bots());
        final List<EventLoop> loops = new ArrayList<>(config.threads());
        final List<BotGroup> groups = new ArrayList<>(config.threads());
        for (final EventExecutor executor : loopGroup)
        {
            loops.add((EventLoop)executor);
            groups.add(new BotGroup(CLOCK, finishedBots, config.bots() / config.threads() + 1));
        }

        final Bot[] bots = new Bot[config.bots()];
        final long startNs = CLOCK.nanoTime();
        final long endNs;
        try
        {
            startBots(server, channelClass, loops, groups, bots);
            awaitDuration(startNs, finishedBots, bots, progressListener);
            endNs = CLOCK.nanoTime();
            closeBots(finishedBots, loops, groups);
        }
        finally
        {
            loopGroup.shutdownGracefully(0, SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(SHUTDOWN_WAIT_MS);
        }

        return collect(bots, groups, startNs, endNs);
    }

    private void startBots(
        final InetSocketAddress server,
        final Class<? extends SocketChannel> channelClass,
        final List<EventLoop> loops,
        final List<BotGroup> groups,
        final Bot[] bots)
    {
        final WebSocketClientProtocolConfig webSocketConfig = BotChannelInitializer.webSocketConfig(config);
        final int connectTimeoutMs = (int)TimeUnit.NANOSECONDS.toMillis(config.connectTimeoutNs());
        for (int i = 0; i < bots.length; i++)
        {
            final EventLoop loop = loops.get(i % loops.size());
            final BotGroup group = groups.get(i % loops.size());
            final Bot bot = new Bot(
                i, config.roomName(i), config.inputRateHz(), new RandomWalk(config.seed(), i), group);
            group.add(bot);
            bots[i] = bot;

            final Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
                .remoteAddress(server)
                .handler(new BotChannelInitializer(webSocketConfig, bot));
            loop.schedule(() -> bot.connect(bootstrap), config.connectDelayNs(i), TimeUnit.NANOSECONDS);
        }
    }

    private void awaitDuration(
        final long startNs,
        final CountDownLatch finishedBots,
        final Bot[] bots,
        final Consumer<SwarmProgress> progressListener) throws InterruptedException
    {
        final long deadlineNs = startNs + config.durationNs();
        long nextProgressNs = startNs + PROGRESS_INTERVAL_NS;
        long lastSampleNs = startNs;
        long lastSnapshots = 0;
        long lastBytes = 0;
        long nowNs = startNs;
        while (nowNs < deadlineNs)
        {
            if (finishedBots.await(Math.min(nextProgressNs, deadlineNs) - nowNs, TimeUnit.NANOSECONDS))
            {
                return;
            }

            nowNs = CLOCK.nanoTime();
            if (nowNs >= nextProgressNs)
            {
                int connected = 0;
                int joined = 0;
                long snapshots = 0;
                long bytes = 0;
                long errors = 0;
                for (final Bot bot : bots)
                {
                    final Bot.State state = bot.state();
                    connected += state == Bot.State.JOINING || state == Bot.State.JOINED ? 1 : 0;
                    joined += state == Bot.State.JOINED ? 1 : 0;
                    snapshots += bot.snapshotsReceived();
                    bytes += bot.bytesReceived();
                    errors += bot.errorCount();
                }

                final double intervalSeconds = (nowNs - lastSampleNs) / (double)TimeUnit.SECONDS.toNanos(1);
                progressListener.accept(new SwarmProgress(
                    nowNs - startNs, connected, joined, (snapshots - lastSnapshots) / intervalSeconds,
                    (bytes - lastBytes) / intervalSeconds, errors));
                lastSampleNs = nowNs;
                lastSnapshots = snapshots;
                lastBytes = bytes;
                nextProgressNs += PROGRESS_INTERVAL_NS;
            }
        }
    }

    private void closeBots(final CountDownLatch finishedBots, final List<EventLoop> loops, final List<BotGroup> groups)
        throws InterruptedException
    {
        for (int i = 0; i < loops.size(); i++)
        {
            loops.get(i).execute(groups.get(i)::stopAll);
        }
        if (!finishedBots.await(config.closeTimeoutNs(), TimeUnit.NANOSECONDS))
        {
            for (int i = 0; i < loops.size(); i++)
            {
                loops.get(i).execute(groups.get(i)::forceCloseAll);
            }
            finishedBots.await(FORCE_CLOSE_WAIT_NS, TimeUnit.NANOSECONDS);
        }
    }

    private SwarmResult collect(final Bot[] bots, final List<BotGroup> groups, final long startNs, final long endNs)
    {
        final List<BotResult> results = new ArrayList<>(bots.length);
        final long[] errorTotals = new long[BotError.VALUES.length];
        for (final Bot bot : bots)
        {
            results.add(bot.result(endNs));
            bot.addErrorsTo(errorTotals);
        }

        final Map<BotError, Long> errorsByKind = new EnumMap<>(BotError.class);
        for (final BotError kind : BotError.VALUES)
        {
            errorsByKind.put(kind, errorTotals[kind.ordinal()]);
        }

        final Histogram inputLatencyUs = new Histogram(BotGroup.MAX_LATENCY_US, 3);
        for (final BotGroup group : groups)
        {
            inputLatencyUs.add(group.inputLatencyUs());
        }

        return new SwarmResult(config, CLOCK.nanoTime() - startNs, results, errorsByKind, inputLatencyUs);
    }
}
