package io.tickwire.bots;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.tickwire.codec.WireFormat;
import io.tickwire.io.PacedIoHandler;
import io.tickwire.io.SendRing;
import io.tickwire.io.SendRingIoHandler;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs many bots on a few event loop threads against one server, then reports.
 * <pre>
 *   caller thread                          event loop k (of --threads)                   server
 *   run(): build groups and bots  ------>  BotGroup k: bots i with i % threads == k
 *          one task per loop, every   ---> doWork(now): bots due at i/ramp connect ->  JOIN ------>
 *            CYCLE_NS (not per bot)          <- WELCOME, PRESENCE; due bots send INPUT, ACK, MESSAGE, PING ->
 *          every second: read the          <- SNAPSHOT per tick: verify, time; PONG: round trip
 *            published counters            <- MESSAGE, PRESENCE: in order; own messages delivered: timed
 *              -> progress                   churn: drop picked bots (close 1000), back after a backoff
 *          at the duration: presence  ---> each loop reports its joined bots' presence lists -> audit per room
 *                            stopAll  ----> close frame (1000); closing bots cut off after the close timeout
 *          shut the loops down, collect and merge the loops' histograms
 * </pre>
 * Each loop's I/O is paced to its group's cycle ({@link PacedIoHandler}, with the group's 1 ms cycle as its longest
 * park): it wakes once a cycle instead of for each message; the cycle first reads the connections that received
 * (the group's {@link io.tickwire.io.SocketReadPass}, for plain epoll connections past their handshake), then sends
 * what is due. That adds at most a cycle (1 ms) to what the bots measure.
 * <p>
 * A run always ends by itself: it lasts the configured duration (less if every bot has finished, or if
 * {@link #stop()} was called), then at most the close timeout plus {@link #FORCE_CLOSE_WAIT_NS}, and
 * {@link #SHUTDOWN_WAIT_MS} more. Bots connect only to the address of the configured URL, or, with a matchmaker, to the
 * nodes its answers name (one {@link MatchmakerClient} for the swarm).
 * <p>
 * Not thread safe: call {@link #run(Consumer)} from one thread, once.
 */
public final class Swarm
{
    /** Interval between progress samples. */
    public static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    /** How long to wait, beyond the close timeout, for connections cut off at the close timeout to close. */
    static final long FORCE_CLOSE_WAIT_NS = TimeUnit.SECONDS.toNanos(1);

    /** Bound on each event loop's answer to the presence audit at the end of the run. */
    static final long PRESENCE_WAIT_MS = 1_000;

    /** Bound on shutting the event loops down. */
    static final long SHUTDOWN_WAIT_MS = 5_000;

    /**
     * Memory of a loop's send ring for the copies of a cycle's frames: a bot's input, ACK and ping take well under
     * 100 bytes, so a cycle of some thousands of due bots fits; a larger cycle submits in parts.
     */
    static final int RING_COPY_BYTES = 256 * 1024;

    private static final NanoClock CLOCK = SystemNanoClock.INSTANCE;
    private static final Logger LOG = LoggerFactory.getLogger(Swarm.class);

    private final SwarmConfig config;
    private volatile boolean stopRequested;

    public Swarm(final SwarmConfig config)
    {
        this.config = config;
    }

    /**
     * Ends a run before its duration: within {@link #PROGRESS_INTERVAL_NS}, the run stops its bots (close frames) as
     * at the end of its duration, and {@link #run(Consumer)} returns. Any thread; before a run, the run ends at once.
     */
    public void stop()
    {
        stopRequested = true;
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
     * @throws IllegalStateException    when the configured transport, or batched writes when asked for, are not
     *                                  available on this machine.
     * @throws InterruptedException     when the calling thread is interrupted; the event loops are still shut down.
     */
    public SwarmResult run(final Consumer<SwarmProgress> progressListener) throws InterruptedException
    {
        final ConnectTarget target = fixedTarget();

        final BotTransport transport = config.transport().resolve();
        final boolean batchedWrites = config.writes().batches(transport);
        LOG.info("Bots' writes {} ({} {})", batchedWrites ? "batched, a cycle's in one io_uring submission" :
            "a write(2) per bot and cycle", config.writes().cliName(), transport.cliName());
        final Class<? extends SocketChannel> channelClass = transport.channelClass();
        final IoHandlerFactory handlers = batchedWrites ?
            SendRingIoHandler.wrap(transport.ioHandlerFactory(), SendRing.ENTRIES, RING_COPY_BYTES) :
            transport.ioHandlerFactory();
        final MultiThreadIoEventLoopGroup loopGroup = new MultiThreadIoEventLoopGroup(
            config.threads(), new DefaultThreadFactory("tickwire-bots", true),
            PacedIoHandler.factory(handlers, BotGroup.CYCLE_NS));

        final CountDownLatch finishedBots = new CountDownLatch(config.bots());
        final List<EventLoop> loops = new ArrayList<>(config.threads());
        for (final EventExecutor executor : loopGroup)
        {
            loops.add((EventLoop)executor);
        }

        final BotSession[] bots = new BotSession[config.bots()];
        final MatchmakerClient matchmaker = config.matchmakers().isEmpty() ? null : new MatchmakerClient(
            config.matchmakers(), Duration.ofNanos(config.connectTimeoutNs()), config.tokens());
        if (matchmaker != null)
        {
            matchmaker.warmUp();
        }
        final long startNs = CLOCK.nanoTime();
        final List<BotGroup> groups;
        final long endNs;
        final PresenceAudit.Result presence;
        final SwarmCpu cpu;
        try
        {
            final SwarmCpuMeter cpuMeter = new SwarmCpuMeter(loopThreadIds(loops), transport.cliName());
            if (config.writes() == BotWrites.BATCHED)
            {
                requireSendRings(loops);
            }
            groups = buildGroups(target, matchmaker, channelClass, loops, finishedBots, startNs, bots);
            for (int i = 0; i < loops.size(); i++)
            {
                final BotGroup group = groups.get(i);
                loops.get(i).scheduleAtFixedRate(group::onCycle, 0, BotGroup.CYCLE_NS, TimeUnit.NANOSECONDS);
            }
            awaitDuration(startNs, finishedBots, groups, progressListener, cpuMeter);
            endNs = CLOCK.nanoTime();
            cpu = cpuMeter.stop(endNs, sum(groups, GroupMetrics.SNAPSHOTS), readByPass(groups), sentByRing(groups));
            presence = auditPresence(loops, groups);
            for (int i = 0; i < loops.size(); i++)
            {
                loops.get(i).execute(groups.get(i)::stopAll);
            }
            finishedBots.await(config.closeTimeoutNs() + FORCE_CLOSE_WAIT_NS, TimeUnit.NANOSECONDS);
        }
        finally
        {
            loopGroup.shutdownGracefully(0, SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(SHUTDOWN_WAIT_MS);
        }

        return collect(bots, groups, startNs, endNs, presence,
            matchmaker == null ? GroupMetrics.newHistogram() : matchmaker.requestLatencyUs(), cpu);
    }

    /**
     * Builds one group per event loop and the bots, bot {@code i} in group {@code i % loops}, each to connect at its
     * place in the ramp.
     */
    private List<BotGroup> buildGroups(
        final ConnectTarget target,
        final MatchmakerClient matchmaker,
        final Class<? extends SocketChannel> channelClass,
        final List<EventLoop> loops,
        final CountDownLatch finishedBots,
        final long startNs,
        final BotSession[] bots)
    {
        final WebSocketClientProtocolConfig webSocketConfig = BotChannelInitializer.webSocketConfig(config);
        final SslContext tls = BotChannelInitializer.tlsContext(config);
        final int connectTimeoutMs = (int)TimeUnit.NANOSECONDS.toMillis(config.connectTimeoutNs());
        final int loopCount = loops.size();
        final List<BotGroup> groups = new ArrayList<>(loopCount);
        for (int k = 0; k < loopCount; k++)
        {
            final EventLoop loop = loops.get(k);
            final Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs);
            if (config.sendBufferBytes() != SwarmConfig.KERNEL_SEND_BUFFER)
            {
                bootstrap.option(ChannelOption.SO_SNDBUF, config.sendBufferBytes());
            }
            final int capacity = config.bots() / loopCount + (k < config.bots() % loopCount ? 1 : 0);
            final BotGroup group = new BotGroup(config, k, startNs, CLOCK, finishedBots, capacity,
                (handler, to) -> bootstrap.clone()
                    .remoteAddress(to.address())
                    .handler(new BotChannelInitializer(config, webSocketConfig, tls, handler, to)).connect(),
                target, matchmaker, loop);
            loop.terminationFuture().addListener(terminated -> group.close());
            groups.add(group);
        }

        for (int i = 0; i < bots.length; i++)
        {
            final GameBrain played = config.game().brain(config.behaviour().script(config.seed(), i), config.seed(), i);
            final GameBrain brain = config.answerChat() ? new ChatAnswerer(played, SwarmConfig.playerName(i)) : played;
            bots[i] = groups.get(i % loopCount).newBot(
                i, config.roomName(i), brain, startNs + config.connectDelayNs(i));
        }
        return groups;
    }

    /**
     * @return where every bot connects without a matchmaker, its address resolved once here; null with one.
     * @throws IllegalArgumentException when the host of the URL does not resolve.
     */
    private ConnectTarget fixedTarget()
    {
        if (config.matchmaker() != null)
        {
            return null;
        }
        final InetSocketAddress server = new InetSocketAddress(config.url().getHost(), config.port());
        if (server.isUnresolved())
        {
            throw new IllegalArgumentException("cannot resolve the host of " + config.url());
        }
        return new ConnectTarget(server, config.url(), WireFormat.SUBPROTOCOL);
    }

    /**
     * Waits out the run's duration, reporting progress every {@link #PROGRESS_INTERVAL_NS}, and starts the CPU window
     * at {@link #cpuWindowStartNs} (at once when that is past).
     */
    private void awaitDuration(
        final long startNs,
        final CountDownLatch finishedBots,
        final List<BotGroup> groups,
        final Consumer<SwarmProgress> progressListener,
        final SwarmCpuMeter cpuMeter) throws InterruptedException
    {
        final long deadlineNs = startNs + config.durationNs();
        final long cpuStartNs = cpuWindowStartNs(startNs);
        long nextProgressNs = startNs + PROGRESS_INTERVAL_NS;
        long lastSampleNs = startNs;
        long lastSnapshots = 0;
        long lastBytes = 0;
        long nowNs = startNs;
        while (nowNs < deadlineNs && !stopRequested)
        {
            if (cpuStartNs <= nowNs)
            {
                cpuMeter.start(nowNs, sum(groups, GroupMetrics.SNAPSHOTS));
            }
            final long wakeNs = Math.min(Math.min(nextProgressNs, deadlineNs),
                cpuMeter.isStarted() ? Long.MAX_VALUE : cpuStartNs);
            if (finishedBots.await(wakeNs - nowNs, TimeUnit.NANOSECONDS))
            {
                return;
            }

            nowNs = CLOCK.nanoTime();
            if (nowNs >= nextProgressNs)
            {
                final long snapshots = sum(groups, GroupMetrics.SNAPSHOTS);
                final long bytes = sum(groups, GroupMetrics.BYTES_IN);
                final double intervalSeconds = (nowNs - lastSampleNs) / (double)TimeUnit.SECONDS.toNanos(1);
                progressListener.accept(new SwarmProgress(
                    nowNs - startNs, (int)sum(groups, GroupMetrics.CONNECTED), (int)sum(groups, GroupMetrics.JOINED),
                    (snapshots - lastSnapshots) / intervalSeconds, (bytes - lastBytes) / intervalSeconds,
                    sum(groups, GroupMetrics.ERRORS), sum(groups, GroupMetrics.RECONNECTS)));
                lastSampleNs = nowNs;
                lastSnapshots = snapshots;
                lastBytes = bytes;
                nextProgressNs += PROGRESS_INTERVAL_NS;
            }
        }
    }

    /**
     * @return when the swarm's CPU window starts: at the later of the warm-up's end and the ramp's end (the last bot's
     * connect time), so connecting and the JIT's first compilations stay out of the per-bot-tick cost.
     */
    private long cpuWindowStartNs(final long startNs)
    {
        return startNs + Math.max(config.warmupNs(), config.connectDelayNs(config.bots() - 1));
    }

    /**
     * @return the ids of the event loops' threads, asked of each loop (a loop starts its thread on its first task).
     */
    private static long[] loopThreadIds(final List<EventLoop> loops) throws InterruptedException
    {
        final long[] ids = new long[loops.size()];
        for (int i = 0; i < ids.length; i++)
        {
            try
            {
                ids[i] = loops.get(i).submit(() -> Thread.currentThread().getId()).get();
            }
            catch (final ExecutionException ex)
            {
                throw new IllegalStateException("event loop " + i + " did not start", ex);
            }
        }
        return ids;
    }

    /**
     * @throws IllegalStateException when an event loop has no send ring: the system refused it one (logged by
     *                               {@link SendRingIoHandler}), so its bots would write one by one.
     */
    private static void requireSendRings(final List<EventLoop> loops) throws InterruptedException
    {
        for (int i = 0; i < loops.size(); i++)
        {
            try
            {
                if (loops.get(i).submit(SendRingIoHandler::current).get() == null)
                {
                    throw new IllegalStateException("batched writes cannot run here: event loop " + i +
                        " has no send ring (the system refused it an io_uring; see the log)");
                }
            }
            catch (final ExecutionException ex)
            {
                throw new IllegalStateException("event loop " + i + " did not start", ex);
            }
        }
    }

    /**
     * Has every event loop report what its joined bots see of their rooms, and audits the reports; a loop that does
     * not answer within {@link #PRESENCE_WAIT_MS} adds nothing.
     */
    private static PresenceAudit.Result auditPresence(final List<EventLoop> loops, final List<BotGroup> groups)
        throws InterruptedException
    {
        final List<Future<List<PresenceAudit.Report>>> answers = new ArrayList<>(loops.size());
        for (int i = 0; i < loops.size(); i++)
        {
            final BotGroup group = groups.get(i);
            answers.add(loops.get(i).submit(() ->
            {
                final List<PresenceAudit.Report> reports = new ArrayList<>();
                group.addPresenceReports(reports);
                return reports;
            }));
        }
        final List<PresenceAudit.Report> reports = new ArrayList<>();
        for (final Future<List<PresenceAudit.Report>> answer : answers)
        {
            try
            {
                reports.addAll(answer.get(PRESENCE_WAIT_MS, TimeUnit.MILLISECONDS));
            }
            catch (final ExecutionException | TimeoutException ex)
            {
                answer.cancel(false);
            }
        }
        return PresenceAudit.audit(reports);
    }

    private SwarmResult collect(
        final BotSession[] bots,
        final List<BotGroup> groups,
        final long startNs,
        final long endNs,
        final PresenceAudit.Result presence,
        final Histogram matchmakeRequestUs,
        final SwarmCpu cpu)
    {
        final List<BotResult> results = new ArrayList<>(bots.length);
        for (final BotSession bot : bots)
        {
            results.add(bot.result(endNs));
        }

        final long[] errorTotals = new long[BotError.VALUES.length];
        final Histogram inputLatencyUs = GroupMetrics.newHistogram();
        final Histogram rttUs = GroupMetrics.newHistogram();
        final Histogram jitterUs = GroupMetrics.newHistogram();
        final Histogram loopLagUs = GroupMetrics.newHistogram();
        final Histogram messageLatencyUs = GroupMetrics.newHistogram();
        final Map<String, Long> messagesByType = new HashMap<>();
        final MatchmakingFigures.Builder matchmaking = new MatchmakingFigures.Builder();
        for (final BotGroup group : groups)
        {
            group.matchmakingMetrics().addTo(matchmaking);
            final GroupMetrics metrics = group.metrics();
            metrics.addErrorsTo(errorTotals);
            metrics.addMessagesByTypeTo(messagesByType);
            messageLatencyUs.add(metrics.messageLatencyUs());
            inputLatencyUs.add(metrics.inputLatencyUs());
            rttUs.add(metrics.rttUs());
            jitterUs.add(metrics.jitterUs());
            loopLagUs.add(metrics.loopLagUs());
        }

        final Map<BotError, Long> errorsByKind = new EnumMap<>(BotError.class);
        for (final BotError kind : BotError.VALUES)
        {
            errorsByKind.put(kind, errorTotals[kind.ordinal()]);
        }
        long rehoming = 0;
        for (final BotSession bot : bots)
        {
            rehoming += bot.isRehoming() ? 1 : 0;
        }
        return new SwarmResult(config, CLOCK.nanoTime() - startNs, results, errorsByKind, inputLatencyUs, rttUs,
            jitterUs, loopLagUs, messageLatencyUs, messagesByType, presence,
            matchmaking.build(rehoming, matchmakeRequestUs), cpu);
    }

    /**
     * @return the connections handed to the groups' read passes since the run began.
     */
    private static long readByPass(final List<BotGroup> groups)
    {
        long total = 0;
        for (final BotGroup group : groups)
        {
            total += group.readPass().attached();
        }
        return total;
    }

    /**
     * @return the sends the groups' send rings took since the run began.
     */
    private static long sentByRing(final List<BotGroup> groups)
    {
        long total = 0;
        for (final BotGroup group : groups)
        {
            total += group.sentByRing();
        }
        return total;
    }

    private static long sum(final List<BotGroup> groups, final int counter)
    {
        long total = 0;
        for (final BotGroup group : groups)
        {
            total += group.metrics().counter(counter);
        }
        return total;
    }
}
