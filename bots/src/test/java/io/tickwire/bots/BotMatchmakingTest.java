package io.tickwire.bots;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import io.tickwire.codec.Sequence;
import io.tickwire.codec.SnapshotEncoder;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.ResumeToken;
import io.tickwire.codec.control.Welcome;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One bot going through a scripted matchmaker, its handler in an {@link EmbeddedChannel} and its group's cycle run
 * by hand with a fake clock: the request it sends, where it connects and what it offers, the JOIN of the room the
 * answer names, temporary refusals asked again after their retry-after, refusals for good, and the re-home of a bot
 * whose node is lost (RESUME first when it may, then a rejoin with its last reservation, and the fresh matchmake when
 * the node refuses the rejoin or the room is gone), with what the metrics count.
 */
@Timeout(10)
class BotMatchmakingTest
{
    private static final int BOT_INDEX = 3;
    private static final String ROOM = "arena-1";
    private static final String JWT_1 = MatchAnswersTest.JWT;
    private static final String JWT_2 = "eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiIyIn0.c2lnMg";
    private static final URI NODE_A = URI.create("ws://10.0.0.7:7801/ws");
    private static final URI NODE_B = URI.create("ws://10.0.0.8:7802/ws");
    private static final int TICK_RATE_HZ = 20;
    private static final int ENTITY_ID = 42;
    private static final int PLAYER_ID = 9;
    private static final long START_NS = TimeUnit.SECONDS.toNanos(100);
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);
    private static final ResumeToken TOKEN = new ResumeToken(11, 12);
    private static final EntitySchema SCHEMA = new EntitySchema(List.of(
        FieldDef.fixed("x", 0, 1 << 20, 16, FieldDef.NO_PREDICTOR, FieldRole.NONE),
        FieldDef.uint("hp", 100)));
    private static final SwarmConfig CONFIG = SwarmConfig.builder(URI.create("ws://127.0.0.1:7777/ws"))
        .bots(1)
        .durationNs(TimeUnit.SECONDS.toNanos(60))
        .pingIntervalNs(0)
        .warmupNs(0)
        .connectTimeoutNs(CONNECT_TIMEOUT_NS)
        .closeTimeoutNs(TimeUnit.SECONDS.toNanos(1))
        .matchmaker(URI.create("http://127.0.0.1:7777"))
        .reconnect(true)
        .build();

    private final CachedNanoClock clock = new CachedNanoClock();
    private final ControlCodec codec = new ControlCodec();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final List<ConnectTarget> targets = new ArrayList<>();
    private final List<MatchRequest> requests = new ArrayList<>();
    private final List<Integer> failovers = new ArrayList<>();
    private final ArrayDeque<CompletableFuture<MatchAnswer>> answers = new ArrayDeque<>();
    private BotGroup group;
    private BotSession bot;
    private EmbeddedChannel channel;
    private boolean refuseConnections;

    @AfterEach
    void releaseAll()
    {
        for (final EmbeddedChannel each : channels)
        {
            each.finishAndReleaseAll();
        }
    }

    @Test
    void everyConnectAsksTheMatchmakerFirstThenOffersTheReservationAndJoinsTheRoomItNames()
    {
        answer(placed(NODE_A, ROOM, JWT_1));
        start(CONFIG);

        assertEquals(List.of(new MatchRequest("arena", ROOM, "bot-03", null)), requests);
        assertEquals(1, targets.size());
        assertEquals(InetSocketAddress.createUnresolved("10.0.0.7", 7801), targets.get(0).address());
        assertEquals(NODE_A, targets.get(0).uri());
        assertEquals("tickwire.v2,tickwire.rsv." + JWT_1, targets.get(0).subprotocols());
        assertEquals(BotSession.State.CONNECTING, bot.state());

        assertEquals(JoinRequest.named("arena", ROOM, "bot-03"), handshakeAndReadJoin());
        assertEquals(1, figures().placed());
        assertEquals(1, figures().answerWaitUs().getTotalCount());
    }

    @Test
    void anyOpenRoomIsAskedForAndTheRoomTheMatchmakerNamedIsJoined()
    {
        answer(placed(NODE_A, "arena-3f9a1c-12", JWT_1));
        start(CONFIG.toBuilder().matchmakerAny(true).build());

        assertEquals("any", requests.get(0).room());
        assertEquals(JoinRequest.named("arena", "arena-3f9a1c-12", "bot-03"), handshakeAndReadJoin());
    }

    @Test
    void aTemporaryRefusalIsAskedAgainNoSoonerThanItsRetryAfterAndIsNoError()
    {
        answer(new MatchAnswer.Refused(MatchError.RESTORING, 400, "503 RESTORING"));
        start(CONFIG);

        assertEquals(BotSession.State.BACKOFF, bot.state());
        assertTrue(group.dueNs(0) >= START_NS + TimeUnit.MILLISECONDS.toNanos(400), "retry after 400 ms");
        answer(placed(NODE_A, ROOM, JWT_1));
        runCyclesFor(group.dueNs(0) - clock.nanoTime());

        assertEquals(2, requests.size());
        assertEquals(BotSession.State.CONNECTING, bot.state());
        assertEquals(0, bot.errorCount());
        assertEquals(Map.of(MatchError.RESTORING, 1L), figures().refusedByError());
        assertEquals(1, figures().retries());
    }

    @Test
    void aMatchmakerThatDoesNotAnswerInTimeIsAskedAgain()
    {
        answers.add(new CompletableFuture<>());
        start(CONFIG);
        assertEquals(BotSession.State.MATCHMAKING, bot.state());

        answer(placed(NODE_A, ROOM, JWT_1));
        runCyclesFor(2 * CONNECT_TIMEOUT_NS + TimeUnit.SECONDS.toNanos(6));

        assertEquals(2, requests.size());
        assertEquals(List.of(0, 1), failovers, "the next matchmaker after one that did not answer");
        assertEquals(BotSession.State.CONNECTING, bot.state());
        assertEquals(Map.of(MatchError.TRANSPORT, 1L), figures().refusedByError());
    }

    @Test
    void aRefusalForGoodIsAnErrorAndEndsABotThatDoesNotReconnect()
    {
        answer(new MatchAnswer.Refused(MatchError.FULL, 0, "409 FULL"));
        start(CONFIG.toBuilder().reconnect(false).build());

        assertEquals(1, group.metrics().errors(BotError.MATCHMAKE_REFUSED));
        assertEquals(BotSession.State.CLOSED, bot.state());
        assertTrue(channels.isEmpty());
    }

    @Test
    void anAnswerAfterTheBotStoppedIsDropped()
    {
        final CompletableFuture<MatchAnswer> late = new CompletableFuture<>();
        answers.add(late);
        start(CONFIG);

        group.stopAll();
        late.complete(placed(NODE_A, ROOM, JWT_1));

        assertEquals(BotSession.State.CLOSED, bot.state());
        assertTrue(channels.isEmpty());
    }

    @Test
    void aLostNodeIsRehomedWithTheLastReservationIntoTheSameSeat()
    {
        joinThroughMatchmaker(CONFIG, null);
        final long lostAtNs = clock.nanoTime();
        channel.close();
        assertEquals(BotSession.State.BACKOFF, bot.state());

        answer(placed(NODE_B, ROOM, JWT_2));
        runCyclesFor(group.dueNs(0) - clock.nanoTime());

        assertEquals(new MatchRequest("arena", ROOM, "bot-03", JWT_1), requests.get(1));
        assertEquals(NODE_B, targets.get(1).uri());
        assertEquals("tickwire.v2,tickwire.rsv." + JWT_2, targets.get(1).subprotocols());
        assertEquals(JoinRequest.named("arena", ROOM, "bot-03"), handshakeAndReadJoin());
        welcomeAndPlay(ENTITY_ID, null, 40);

        assertEquals(0, bot.errorCount(), "a lost node is a re-home, not an error");
        final MatchmakingFigures figures = figures();
        assertEquals(1, figures.losses());
        assertEquals(1, figures.rehomed());
        assertEquals(1, figures.entityKept());
        assertEquals(0, figures.rehomeEntityChanged());
        assertEquals(Map.of(ROOM, 1L), figures.lastTickBeforeLoss());
        final long maxUs = figures.rehomeUs().lowestEquivalentValue(figures.rehomeUs().getMaxValue());
        assertTrue(maxUs > 0 && maxUs <= TimeUnit.NANOSECONDS.toMicros(clock.nanoTime() - lostAtNs), "" + maxUs);
    }

    @Test
    void aConnectionResetByADeadNodeIsARehomeAndSoIsAPlacementOnItBeforeTheDirectoryNoticed()
    {
        joinThroughMatchmaker(CONFIG, null);
        channel.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        assertEquals(BotSession.State.BACKOFF, bot.state());

        answer(placed(NODE_A, ROOM, JWT_2));
        refuseConnections = true;
        runCyclesFor(group.dueNs(0) - clock.nanoTime());
        assertEquals(BotSession.State.BACKOFF, bot.state());
        refuseConnections = false;
        answer(placed(NODE_B, ROOM, JWT_1));
        runCyclesFor(group.dueNs(0) - clock.nanoTime());

        assertEquals(JWT_1, requests.get(1).rejoin());
        assertEquals(JWT_2, requests.get(2).rejoin(), "the newest reservation proves the seat");
        assertEquals(NODE_B, targets.get(2).uri());
        assertEquals(0, bot.errorCount(), "a dead node's reset and a connect to it are the re-home, not errors");
        assertEquals(1, figures().losses());
    }

    @Test
    void withResumeTheBotFirstResumesAtTheSameNodeAndRejoinsThroughTheMatchmakerWhenItIsGone()
    {
        joinThroughMatchmaker(CONFIG.toBuilder().resume(true).build(), TOKEN);
        channel.close();
        refuseConnections = true;
        runCyclesFor(group.dueNs(0) - clock.nanoTime());

        assertEquals(NODE_A, targets.get(1).uri());
        assertEquals("tickwire.v2,tickwire.resume", targets.get(1).subprotocols());
        assertEquals(1, requests.size(), "no matchmake before the resume failed");
        assertEquals(BotSession.State.BACKOFF, bot.state());
        assertEquals(0, bot.errorCount(), "a node that is gone is not an error");

        refuseConnections = false;
        answer(placed(NODE_B, ROOM, JWT_2));
        runCyclesFor(group.dueNs(0) - clock.nanoTime());
        assertEquals(JWT_1, requests.get(1).rejoin());
        assertEquals(NODE_B, targets.get(2).uri());
    }

    @Test
    void aRejoinTheNodeRefusesFallsBackToAFreshMatchmakeOfTheRoom()
    {
        joinThroughMatchmaker(CONFIG, null);
        channel.close();
        answer(placed(NODE_B, ROOM, JWT_2));
        runCyclesFor(group.dueNs(0) - clock.nanoTime());
        handshakeAndReadJoin();

        receive(control(new Notice(Notice.CODE_ROOM_NOT_FOUND, 0, "no seat for you")));
        channel.writeInbound(new CloseWebSocketFrame(4008, "RESERVATION_MISMATCH"));
        assertEquals(BotSession.State.BACKOFF, bot.state());
        answer(placed(NODE_B, ROOM, JWT_1));
        runCyclesFor(group.dueNs(0) - clock.nanoTime());

        assertEquals(new MatchRequest("arena", ROOM, "bot-03", null), requests.get(2));
        assertEquals(1, figures().rejoinsRefused());
        assertEquals(0, bot.errorCount());
    }

    @Test
    void aRoomGoneOnRejoinIsAskedAfreshAtOnceAndTheNewEntityIsCounted()
    {
        joinThroughMatchmaker(CONFIG, null);
        channel.close();
        answer(new MatchAnswer.Refused(MatchError.ROOM_GONE, 0, "404 ROOM_GONE"));
        answer(placed(NODE_B, ROOM, JWT_2));
        runCyclesFor(group.dueNs(0) - clock.nanoTime());

        assertEquals(JWT_1, requests.get(1).rejoin());
        assertNull(requests.get(2).rejoin());
        handshakeAndReadJoin();
        welcomeAndPlay(ENTITY_ID + 1, null, 5);

        assertEquals(1, figures().rehomeEntityChanged());
        assertEquals(0, figures().entityKept());
        assertEquals(1, figures().rehomed());
        assertEquals(0, bot.errorCount());
    }

    @Test
    void aBotStillRehomingAtTheEndIsReportedNotBack()
    {
        joinThroughMatchmaker(CONFIG, null);
        channel.close();

        assertTrue(bot.isRehoming());
        group.stopAll();
        assertTrue(bot.isRehoming());
    }

    private void joinThroughMatchmaker(final SwarmConfig config, final ResumeToken token)
    {
        answer(placed(NODE_A, ROOM, JWT_1));
        start(config);
        handshakeAndReadJoin();
        welcomeAndPlay(ENTITY_ID, token, 1);
    }

    /**
     * Welcomes the bot with {@code entityId}, runs a cycle (its first input) and has it apply a full snapshot at
     * {@code tick} that holds its entity.
     */
    private void welcomeAndPlay(final int entityId, final ResumeToken token, final int tick)
    {
        receive(control(new Welcome(7L, TICK_RATE_HZ, PLAYER_ID, entityId, "arena", ROOM, 8, SCHEMA,
            FakeServer.INPUT_SCHEMA, List.of(FakeServer.CHAT), Map.of(), 1, token)));
        assertEquals(BotSession.State.JOINED, bot.state());
        group.doWork(clock.nanoTime());
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SnapshotEncoder.maxLength(SCHEMA, 4)]);
        final SnapshotEncoder encoder = new SnapshotEncoder(SCHEMA);
        encoder.begin(buffer, 0, tick, tick, Sequence.NONE, Sequence.NONE, 0, true, Sequence.NONE);
        encoder.enter(entityId, new int[]{ 16, 100 }, 0);
        receive(Arrays.copyOf(buffer.byteArray(), encoder.finish()));
        assertEquals(0, bot.errorCount());
    }

    private Object handshakeAndReadJoin()
    {
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        final BinaryWebSocketFrame frame = assertInstanceOf(BinaryWebSocketFrame.class, channel.readOutbound());
        final byte[] join = ByteBufUtil.getBytes(frame.content());
        frame.release();
        assertEquals(WireFormat.TYPE_JOIN, join[0]);
        return codec.decode(new UnsafeBuffer(join), 0, join.length);
    }

    private void start(final SwarmConfig config)
    {
        clock.update(START_NS);
        group = new BotGroup(config, 0, START_NS, clock, new CountDownLatch(1), 1, this::connectEmbedded, null,
            this::matchmake, Runnable::run);
        bot = group.newBot(BOT_INDEX, ROOM, new ArenaBrain(StandStill.INSTANCE), START_NS);
        group.doWork(START_NS);
    }

    private CompletableFuture<MatchAnswer> matchmake(
        final MatchRequest request, final int botIndex, final int failover)
    {
        assertEquals(BOT_INDEX, botIndex);
        requests.add(request);
        failovers.add(failover);
        final CompletableFuture<MatchAnswer> answer = answers.poll();
        return answer != null ? answer : new CompletableFuture<>();
    }

    private void answer(final MatchAnswer answer)
    {
        answers.add(CompletableFuture.completedFuture(answer));
    }

    private static MatchAnswer.Placed placed(final URI url, final String room, final String reservation)
    {
        return new MatchAnswer.Placed(url, room, reservation, 10_000, "anon:x", "node");
    }

    private ChannelFuture connectEmbedded(final BotHandler connecting, final ConnectTarget target)
    {
        targets.add(target);
        final EmbeddedChannel embedded = ServerSideFrames.botChannel(new ServerSideFrames(), connecting);
        channels.add(embedded);
        channel = embedded;
        return refuseConnections ?
            embedded.newFailedFuture(new ConnectException("refused")) : embedded.newSucceededFuture();
    }

    private MatchmakingFigures figures()
    {
        final MatchmakingFigures.Builder builder = new MatchmakingFigures.Builder();
        group.matchmakingMetrics().addTo(builder);
        return builder.build(0, GroupMetrics.newHistogram());
    }

    private void runCyclesFor(final long durationNs)
    {
        final long endNs = clock.nanoTime() + Math.max(durationNs, 0);
        do
        {
            clock.update(Math.min(endNs, clock.nanoTime() + BotGroup.CYCLE_NS));
            group.doWork(clock.nanoTime());
        }
        while (clock.nanoTime() < endNs);
    }

    private void receive(final byte[] bytes)
    {
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
    }

    private byte[] control(final Object message)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        return Arrays.copyOf(buffer.byteArray(), codec.encode(message, buffer, 0));
    }
}
