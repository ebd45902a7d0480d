package io.tickwire.bots;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.MessageReader;
import io.tickwire.codec.PongFlyweight;
import io.tickwire.codec.SnapshotHeaderFlyweight;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.io.SendRing;
import io.tickwire.io.SendRingIoHandler;
import io.tickwire.io.SocketReadPass;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * The bots of one event loop, the one periodic task that drives them, and the scratch state they share: the control
 * codec, the message encoder and reader, the presence decoder (which gives the group's bots one instance of each
 * equal presence entry) and states (one instance of each list of players the bots were told alike), the flyweights,
 * and the buffers messages are built in and read through. Each bot keeps its own snapshot decoder, input codec and
 * message codec, since its view, baselines and welcome are its own.
 * <pre>
 *   every CYCLE_NS, on the event loop:  read pass: what the server sent each plain epoll connection, to its bot
 *                                       doWork(now), its writes batched in the loop's send ring, if it has one
 *     for each bot whose due time has come (a scan of one long[]):  bot.onDue(now)
 *       IDLE, BACKOFF -> connect, or matchmake first     JOINED -> input (+ ACK, messages) and/or ping
 *       MATCHMAKING, JOINING, CLOSING -> timed out
 *     churn: drop the bots Churn picks (planned close 1000; they come back after a Backoff delay)
 * </pre>
 * So timers do not grow with the number of bots: each bot tells the group when it next needs the cycle, and a cycle
 * touches only the bots that are due. Every bot is driven by this one task and by its channel's events.
 * <p>
 * Owned by its event loop: every method except {@link #newBot} runs on that loop. {@link #newBot} runs on the thread
 * that builds the swarm, before the group's task is scheduled. {@link #metrics()} may be called from any thread;
 * see {@link GroupMetrics} for what may be read when. A matchmaker's answers come back on the loop: {@link #matchmake}
 * hands them over with the loop's executor.
 */
final class BotGroup
{
    /**
     * Largest message payload a bot accepts, in bytes: 2 MiB, room for a full snapshot of 65535 entities at 32 bytes
     * each. A longer frame fails the connection.
     */
    static final int MAX_PAYLOAD_LENGTH = 1 << 21;

    /** Period of the group's task; inputs and pings go out within this of their due time. */
    static final long CYCLE_NS = TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * Runs of the read pass a cycle at most: a cycle reads again while a run read something, as the paced loop polls
     * its transport again while a poll found something ({@link io.tickwire.io.PacedIoHandler}), so a snapshot that
     * arrives while the cycle reads is read in that cycle, not one later (which would add to the latency the bots
     * measure).
     */
    static final int READ_RUNS_PER_CYCLE = 16;

    /** Time before the end of the run after which churn drops no more bots, so the last ones have time to return. */
    static final long CHURN_QUIET_NS = TimeUnit.SECONDS.toNanos(2);

    /** Due time of a bot that needs nothing from the cycle. */
    static final long NEVER = Long.MAX_VALUE;

    private static final Logger LOG = LoggerFactory.getLogger(BotGroup.class);
    private static final int CONTROL_BUFFER_LENGTH = 1024;
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    /** Ceiling of the first delay before a bot that lost its node asks the matchmaker again (docs/SCALE.md). */
    static final long REHOME_BASE_NS = TimeUnit.MILLISECONDS.toNanos(250);

    /**
     * Starts a connection for a bot: in a swarm, a TCP connect through a pipeline that ends in the bot.
     */
    @FunctionalInterface
    interface Connector
    {
        /**
         * @param target where to connect, with the URL and the subprotocols of the handshake.
         * @return the future of the connection; its channel's pipeline ends in {@code handler}.
         */
        ChannelFuture connect(BotHandler handler, ConnectTarget target);
    }

    /**
     * Asks a matchmaker for a seat ({@link MatchmakerClient} in a swarm).
     */
    @FunctionalInterface
    interface Matchmaking
    {
        /**
         * @param botIndex the index of the bot asking, whose token a request carries when the swarm mints tokens.
         * @param failover how many matchmakers that did not answer the bot skips past.
         * @return the answer; completes on any thread, never exceptionally.
         */
        CompletableFuture<MatchAnswer> matchmake(MatchRequest request, int botIndex, int failover);
    }

    private final SwarmConfig config;
    private final NanoClock clock;
    private final CountDownLatch finishedBots;
    private final Connector connector;
    private final ConnectTarget fixedTarget;
    private final Matchmaking matchmaking;
    private final Executor loop;
    private final GroupMetrics metrics;
    private final MatchmakingMetrics matchmakingMetrics = new MatchmakingMetrics();
    private final Backoff backoff;
    private final Backoff rehomeBackoff;
    private final Churn churn;
    private final long churnEndNs;
    private final BotSession[] bots;
    private final long[] dueNs;
    private final IntPredicate joinedBot = this::isJoined;
    private final ControlCodec controlCodec = new ControlCodec();
    private final UnsafeBuffer controlBuffer = new UnsafeBuffer(new byte[CONTROL_BUFFER_LENGTH]);
    private final UnsafeBuffer clientBuffer = new UnsafeBuffer(new byte[WireFormat.MAX_CLIENT_MESSAGE_LENGTH]);
    private final MessageEncoder messageEncoder = new MessageEncoder();
    private final MessageReader messageReader = new MessageReader();
    private final GroupPresenceDecoder presenceDecoder = new GroupPresenceDecoder();
    private final PresenceStates presenceStates = new PresenceStates();
    private final ClientMessageFlyweight clientMessage = new ClientMessageFlyweight();
    private final SnapshotHeaderFlyweight snapshotHeader = new SnapshotHeaderFlyweight();
    private final PongFlyweight pong = new PongFlyweight();
    private final PayloadView payloadView = new PayloadView();
    private final SendBatch sendBatch = new SendBatch();
    private final SocketReadPass readPass = new SocketReadPass(ByteBufAllocator.DEFAULT);
    /** The event loop's send ring ({@link SendRingIoHandler#current()}), or null when its bots write themselves. */
    private SendRing sendRing;
    /** The sends {@link #sendRing} took, as of the end of the last cycle. */
    private final AtomicLong sentByRing = new AtomicLong();
    private int botCount;
    private long lastCycleNs;
    /** Cycles whose reads threw; logged at the first, second, fourth ... so a lasting fault does not flood the log. */
    private long readFailures;
    private boolean stopping;

    /**
     * @param config       what the swarm runs.
     * @param groupIndex   index of the group in the swarm, mixed into the seed of its churn and backoff.
     * @param startNs      start of the run, on {@code clock}, in nanoseconds.
     * @param clock        clock bots time everything with.
     * @param finishedBots counted down once by every bot of this group when it is done for good.
     * @param capacity     bots this group holds: churn drops a fraction of this many.
     * @param connector    starts the bots' connections.
     * @param fixedTarget  where every connection goes without a matchmaker; null with one.
     * @param matchmaking  the matchmaker every (re)connect asks first; null for none.
     * @param loop         runs tasks on the group's event loop: where matchmaker answers are handed to the bots.
     */
    BotGroup(
        final SwarmConfig config,
        final int groupIndex,
        final long startNs,
        final NanoClock clock,
        final CountDownLatch finishedBots,
        final int capacity,
        final Connector connector,
        final ConnectTarget fixedTarget,
        final Matchmaking matchmaking,
        final Executor loop)
    {
        if ((fixedTarget == null) == (matchmaking == null))
        {
            throw new IllegalArgumentException("a group connects to a fixed target or through a matchmaker");
        }
        this.config = config;
        this.clock = clock;
        this.finishedBots = finishedBots;
        this.connector = connector;
        this.fixedTarget = fixedTarget;
        this.matchmaking = matchmaking;
        this.loop = loop;
        this.metrics = new GroupMetrics(startNs + config.warmupNs());
        final long seed = config.seed() * GOLDEN_GAMMA + groupIndex;
        this.backoff = new Backoff(Backoff.DEFAULT_BASE_NS, Backoff.DEFAULT_CAP_NS, seed);
        this.rehomeBackoff = new Backoff(REHOME_BASE_NS, Backoff.DEFAULT_CAP_NS, seed * GOLDEN_GAMMA);
        this.churn = new Churn(config.churnPerSecond(), capacity, ~seed, startNs);
        this.churnEndNs = startNs + config.durationNs() - CHURN_QUIET_NS;
        this.lastCycleNs = startNs;
        this.bots = new BotSession[capacity];
        this.dueNs = new long[capacity];
    }

    /**
     * Makes a bot of this group; called while the swarm is built, before the group's task is scheduled.
     *
     * @param index       index of the bot in the swarm.
     * @param roomName    room the bot joins, and joins again after each reconnect.
     * @param brain       what the bot does in its game.
     * @param connectAtNs when the bot starts to connect, on the group's clock, in nanoseconds.
     * @return the bot.
     */
    BotSession newBot(final int index, final String roomName, final GameBrain brain, final long connectAtNs)
    {
        final int slot = botCount++;
        final BotSession bot = new BotSession(index, slot, roomName, brain, this);
        bots[slot] = bot;
        dueNs[slot] = connectAtNs;
        return bot;
    }

    /**
     * The group's periodic task: reads what the server sent the connections of the read pass (so the inputs that
     * follow ack the newest snapshots), again while a run found something, since a tick's snapshots keep arriving
     * while they are read (at most {@value #READ_RUNS_PER_CYCLE} runs); then reads the clock, records how late this
     * cycle's work runs, and does one cycle of work, whose writes the loop's send ring, if it has one, submits
     * together at the end (a bot that must write or close before then has it submit first). The clock is read after
     * the reads, which take a while when a tick's snapshots arrive together, so that every input is timed from its own
     * send. Throws nothing the reads throw: it runs as a periodic task, which one exception would cancel for the rest
     * of the run, and the pass fails only the connection at fault ({@link SocketReadPass}).
     */
    void onCycle()
    {
        try
        {
            boolean readAny = true;
            for (int run = 0; readAny && run < READ_RUNS_PER_CYCLE; run++)
            {
                readAny = readPass.readReady(clock.nanoTime()) > 0;
            }
        }
        catch (final Throwable ex)
        {
            readFailures++;
            if (Long.bitCount(readFailures) == 1)
            {
                LOG.error("a read pass of the group failed ({} times so far); the cycle goes on", readFailures, ex);
            }
        }
        final long nowNs = clock.nanoTime();
        metrics.recordLoopLag(nowNs - lastCycleNs - CYCLE_NS, nowNs);
        lastCycleNs = nowNs;
        sendRing = SendRingIoHandler.current();
        if (sendRing == null)
        {
            doWork(nowNs);
            return;
        }
        sendRing.begin();
        try
        {
            doWork(nowNs);
        }
        finally
        {
            sendRing.submit();
            sentByRing.lazySet(sendRing.sendsQueued());
        }
    }

    /**
     * One cycle: runs what is due for each bot, then drops the bots churn picks. A bot whose work or drop throws is failed
     * and the cycle goes on with the next.
     *
     * @param nowNs the group's clock, in nanoseconds.
     * @return the number of bots that did something.
     */
    int doWork(final long nowNs)
    {
        int work = 0;
        for (int slot = 0; slot < botCount; slot++)
        {
            if (dueNs[slot] <= nowNs)
            {
                work++;
                final BotSession bot = bots[slot];
                try
                {
                    bot.onDue(nowNs);
                }
                catch (final Throwable ex)
                {
                    bot.onDueFailed(ex, nowNs);
                }
            }
        }

        if (!stopping && nowNs < churnEndNs)
        {
            for (int drops = churn.dropsDue(nowNs); drops > 0; drops--)
            {
                final int slot = churn.pick(joinedBot);
                if (slot >= 0)
                {
                    work++;
                    try
                    {
                        bots[slot].drop(nowNs);
                    }
                    catch (final Throwable ex)
                    {
                        bots[slot].onDueFailed(ex, nowNs);
                    }
                }
            }
        }
        return work;
    }

    /**
     * Ends the run for every bot of the group: bots not connected never will, the others close; none comes back.
     */
    void stopAll()
    {
        stopping = true;
        final long nowNs = clock.nanoTime();
        for (int slot = 0; slot < botCount; slot++)
        {
            bots[slot].stop(nowNs);
        }
    }

    /**
     * Adds what each joined bot of the group sees of its room to {@code reports}, for the presence audit; runs on the
     * event loop, before the bots stop. The reports of equal lists share one instance of the list
     * ({@link PresenceAudit#shareEqualLists}): the bots of a room that agree would otherwise keep n² members alive
     * until the audit.
     */
    void addPresenceReports(final List<PresenceAudit.Report> reports)
    {
        final Map<Map<Integer, PresenceList.Member>, Map<Integer, PresenceList.Member>> lists = new HashMap<>();
        for (int slot = 0; slot < botCount; slot++)
        {
            final PresenceAudit.Report report = bots[slot].presenceReport();
            if (report != null)
            {
                reports.add(PresenceAudit.shareEqualLists(report, lists));
            }
        }
    }

    /**
     * @return whether the run has ended for this group: no bot reconnects any more.
     */
    boolean isStopping()
    {
        return stopping;
    }

    /**
     * Sets when the cycle next needs the bot in {@code slot}.
     *
     * @param dueNs on the group's clock, in nanoseconds; {@link #NEVER} for not until something else happens.
     */
    void schedule(final int slot, final long dueNs)
    {
        this.dueNs[slot] = dueNs;
    }

    /**
     * @return the time the bot in {@code slot} is next due, in nanoseconds; {@link #NEVER} when it is not.
     */
    long dueNs(final int slot)
    {
        return dueNs[slot];
    }

    ChannelFuture connect(final BotHandler handler, final ConnectTarget target)
    {
        return connector.connect(handler, target);
    }

    /**
     * @return where every connection goes without a matchmaker; null with one.
     */
    ConnectTarget fixedTarget()
    {
        return fixedTarget;
    }

    /**
     * @return whether every (re)connect of the group's bots asks a matchmaker first.
     */
    boolean isMatchmaking()
    {
        return matchmaking != null;
    }

    /**
     * Asks the matchmaker and hands its answer to {@code onAnswer} on the group's event loop; an answer arriving after
     * the loop shut down is dropped.
     */
    void matchmake(
        final MatchRequest request, final int botIndex, final int failover, final Consumer<MatchAnswer> onAnswer)
    {
        matchmaking.matchmake(request, botIndex, failover).thenAcceptAsync(onAnswer, loop);
    }

    SwarmConfig config()
    {
        return config;
    }

    GroupMetrics metrics()
    {
        return metrics;
    }

    /**
     * @return the group's matchmaking and re-homing figures; read from another thread only after the loop terminated.
     */
    MatchmakingMetrics matchmakingMetrics()
    {
        return matchmakingMetrics;
    }

    Backoff backoff()
    {
        return backoff;
    }

    /**
     * @return the delays of bots that ask the matchmaker again: 250 ms doubling to 5 s, full jitter.
     */
    Backoff rehomeBackoff()
    {
        return rehomeBackoff;
    }

    long nanoTime()
    {
        return clock.nanoTime();
    }

    ControlCodec controlCodec()
    {
        return controlCodec;
    }

    UnsafeBuffer controlBuffer()
    {
        return controlBuffer;
    }

    /**
     * @return the buffer client messages are built in, as long as the longest client frame.
     */
    UnsafeBuffer clientBuffer()
    {
        return clientBuffer;
    }

    ClientMessageFlyweight clientMessage()
    {
        return clientMessage;
    }

    MessageEncoder messageEncoder()
    {
        return messageEncoder;
    }

    MessageReader messageReader()
    {
        return messageReader;
    }

    GroupPresenceDecoder presenceDecoder()
    {
        return presenceDecoder;
    }

    /**
     * @return the group's presence lists, which its bots told the same players share.
     */
    PresenceStates presenceStates()
    {
        return presenceStates;
    }

    SnapshotHeaderFlyweight snapshotHeader()
    {
        return snapshotHeader;
    }

    PongFlyweight pong()
    {
        return pong;
    }

    /**
     * @return the batch the group's bots gather the frames they send at once in.
     */
    SendBatch sendBatch()
    {
        return sendBatch;
    }

    /**
     * @return the event loop's send ring, which takes sends within {@link #onCycle()}'s work only; null when the loop
     * has none.
     */
    SendRing sendRing()
    {
        return sendRing;
    }

    /**
     * @return the sends the event loop's send ring took, as of the end of the last cycle. Any thread.
     */
    long sentByRing()
    {
        return sentByRing.get();
    }

    /**
     * @return the pass that reads the group's plain epoll connections from their handshake on, at each cycle.
     */
    SocketReadPass readPass()
    {
        return readPass;
    }

    /**
     * Frees the read pass's buffer and epoll set; once the group's event loop has terminated.
     */
    void close()
    {
        readPass.close();
    }

    /**
     * @return the view that the readers of this group's connections hand payloads over in.
     */
    PayloadView payloadView()
    {
        return payloadView;
    }

    /**
     * Called once by each bot when it is done for good: closed and not coming back, or never to connect.
     */
    void onBotFinished()
    {
        finishedBots.countDown();
    }

    private boolean isJoined(final int slot)
    {
        return slot < botCount && bots[slot].state() == BotSession.State.JOINED;
    }
}
