package io.tickwire.bots;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.InputCodec;
import io.tickwire.codec.MessageCodec;
import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.MessageReader;
import io.tickwire.codec.PongFlyweight;
import io.tickwire.codec.Sequence;
import io.tickwire.codec.SnapshotDecoder;
import io.tickwire.codec.SnapshotEncoder;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.PresenceEncoder;
import io.tickwire.codec.control.PresenceEntry;
import io.tickwire.codec.control.ResumeToken;
import io.tickwire.codec.control.Welcome;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives one bot's handler in an {@link EmbeddedChannel}, and its group's cycle by hand with a fake clock: the join,
 * the inputs and pings, the verification of crafted snapshots, full and delta, made with the codec's
 * {@link SnapshotEncoder}, the measurements, and the drop and return of churn. Every crafted snapshot's tick equals
 * its sequence.
 */
@Timeout(10)
class BotTest
{
    private static final int BOT_INDEX = 3;
    private static final String ROOM = "arena-1";
    private static final int TICK_RATE_HZ = 20;
    private static final long TICK_NS = TimeUnit.SECONDS.toNanos(1) / TICK_RATE_HZ;
    private static final int ENTITY_ID = 42;
    private static final int PLAYER_ID = 9;
    private static final InputSchema INPUT_SCHEMA = FakeServer.INPUT_SCHEMA;
    private static final List<MessageType> MESSAGE_TYPES = List.of(FakeServer.CHAT);
    private static final long START_NS = TimeUnit.SECONDS.toNanos(100);
    private static final int HISTORY_WINDOW_TICKS = 8;
    private static final int FIELD_X = 0;
    private static final int FIELD_VX = 1;
    private static final int FIELD_HP = 2;
    private static final int SPEED = 2;
    private static final int FULL_HP = 100;
    private static final EntitySchema SCHEMA = new EntitySchema(List.of(
        FieldDef.fixed("x", 0, 1 << 20, 16, FIELD_VX, FieldRole.NONE),
        FieldDef.fixed("vx", -16, 16, 16, FieldDef.NO_PREDICTOR, FieldRole.NONE),
        FieldDef.uint("hp", FULL_HP)));
    private static final long CLOSE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);
    private static final ResumeToken TOKEN = new ResumeToken(11, 12);
    private static final ResumeToken NEXT_TOKEN = new ResumeToken(13, 14);
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);
    private static final SwarmConfig CONFIG = SwarmConfig.builder(URI.create("ws://127.0.0.1:7777/ws"))
        .bots(1)
        .durationNs(TimeUnit.SECONDS.toNanos(60))
        .pingIntervalNs(0)
        .inputsFromWelcome(true)
        .warmupNs(0)
        .connectTimeoutNs(CONNECT_TIMEOUT_NS)
        .closeTimeoutNs(CLOSE_TIMEOUT_NS)
        .build();

    enum PayloadKind
    {
        HEAP, DIRECT, COMPOSITE
    }

    private final CachedNanoClock clock = new CachedNanoClock();
    private boolean failNextClockRead;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final ControlCodec codec = new ControlCodec();
    private final SnapshotEncoder encoder = new SnapshotEncoder(SCHEMA);
    private final InputCodec inputCodec = new InputCodec(INPUT_SCHEMA);
    private final int[] inputValues = new int[INPUT_SCHEMA.fieldCount()];
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private BotGroup group;
    private BotSession bot;
    private EmbeddedChannel channel;
    private ServerSideFrames frames;
    private boolean refuseConnections;

    @BeforeEach
    void connect()
    {
        start(CONFIG);
    }

    @AfterEach
    void releaseAll()
    {
        for (final EmbeddedChannel each : channels)
        {
            each.finishAndReleaseAll();
        }
    }

    @Test
    void connectsWhenItsRampTimeComesAndSendsJoinWhenTheHandshakeCompletes()
    {
        assertEquals(1, channels.size());
        assertEquals(BotSession.State.CONNECTING, bot.state());

        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);

        final byte[] join = readBinary();
        assertEquals(WireFormat.TYPE_JOIN, join[0]);
        assertEquals(JoinRequest.named("arena", ROOM, SwarmConfig.playerName(BOT_INDEX)),
            codec.decode(new UnsafeBuffer(join), 0, join.length));
        assertEquals(BotSession.State.JOINING, bot.state());
        assertEquals(1, group.metrics().counter(GroupMetrics.CONNECTED));
    }

    @Test
    void sendsInputsAtTheTickRateOnceWelcomed()
    {
        join();

        final ClientMessageFlyweight input = readInput();
        assertEquals(WireFormat.TYPE_INPUT, input.type());
        assertEquals(0, input.ack());
        assertEquals(1, input.inputSeq());
        assertEquals(0, input.viewTick());
        assertEquals(0, inputValues[3], "buttons");
        assertEquals(1, group.metrics().counter(GroupMetrics.JOINED));

        runCyclesFor(TimeUnit.SECONDS.toNanos(1));
        for (int seq = 2; seq <= TICK_RATE_HZ + 1; seq++)
        {
            assertEquals(seq, readInput().inputSeq());
            assertTrue(Math.abs(inputValues[0]) <= BotScript.MAX_MOVE);
            assertTrue(Math.abs(inputValues[1]) <= BotScript.MAX_MOVE);
        }
        assertNull(channel.readOutbound());
        assertEquals(TICK_RATE_HZ + 1, bot.lastInputSeqSent());
    }

    @Test
    void anInputAndAPingDueTogetherGoOutInOneWrite()
    {
        start(CONFIG.toBuilder().pingIntervalNs(TICK_NS).build());
        join();
        assertEquals(2, frames.flushes(), "the JOIN, then the first input and ping together");
        assertEquals(1, readInput().inputSeq());
        assertEquals(WireFormat.TYPE_PING, readBinary()[0]);

        runCyclesFor(TICK_NS);

        assertEquals(3, frames.flushes());
        assertEquals(2, readInput().inputSeq());
        assertEquals(WireFormat.TYPE_PING, readBinary()[0]);
        assertNull(channel.readOutbound());
    }

    @Test
    void aLoopThatFellBehindSendsOneInputNotABurst()
    {
        join();
        readBinary();

        clock.advance(10 * TICK_NS);
        group.doWork(clock.nanoTime());
        group.doWork(clock.nanoTime() + BotGroup.CYCLE_NS);

        readBinary();
        assertNull(channel.readOutbound());
        assertEquals(clock.nanoTime() + TICK_NS, group.dueNs(0));
    }

    /**
     * The group's cycle is a periodic task, which one exception would cancel for the rest of the run: whatever its
     * reads throw, the cycle does its bots' work.
     */
    @Test
    void aCycleWhoseReadsThrowStillSendsWhatIsDue()
    {
        join();
        final long inputSeq = readInput().inputSeq();

        clock.advance(TICK_NS);
        failNextClockRead = true;
        group.onCycle();

        assertFalse(failNextClockRead, "the cycle's reads met the failure");
        assertEquals(inputSeq + 1, readInput().inputSeq());
    }

    @Test
    void aBotStartsItsInputsAtItsOwnPhaseOfThePeriodNotAtItsWelcome()
    {
        start(CONFIG.toBuilder().inputsFromWelcome(false).build());
        join();
        final long phaseNs = BotSession.inputPhaseNs(BOT_INDEX, TICK_NS);
        assertTrue(phaseNs > BotGroup.CYCLE_NS, "bot " + BOT_INDEX + "'s phase: " + phaseNs);
        assertNull(channel.readOutbound(), "no input at the welcome");
        assertEquals(clock.nanoTime() + phaseNs, group.dueNs(0));

        clock.advance(phaseNs);
        group.doWork(clock.nanoTime());
        assertEquals(1, readInput().inputSeq());
        assertEquals(clock.nanoTime() + TICK_NS, group.dueNs(0));
    }

    @Test
    void idleBotsSendZeroMovement()
    {
        start(CONFIG, StandStill.INSTANCE);
        join();

        assertEquals(WireFormat.TYPE_INPUT, readInput().type());
        assertEquals(0, inputValues[0]);
        assertEquals(0, inputValues[1]);
    }

    @Test
    void acksTheLastSnapshotInTheNextInput()
    {
        join();
        readBinary();
        receive(full(7, 1, ENTITY_ID));

        runCyclesFor(TICK_NS);
        final ClientMessageFlyweight input = readInput();
        assertEquals(7, input.ack());
        assertEquals(7, input.viewTick(), "the tick of the newest snapshot applied");
        assertNull(channel.readOutbound(), "the input carried the ack: no ACK");
    }

    @Test
    void appliesAFullSnapshotThenADeltaAgainstIt()
    {
        join();
        readBinary();
        assertEquals(SCHEMA, bot.decoder().schema());
        assertEquals(0, bot.decoder().messageAck());

        final byte[] full = full(1, 1, 3, ENTITY_ID, 99);
        receive(full);
        final int[] ownMoved = { ENTITY_ID * 16 + 5, SPEED, FULL_HP - 10 };
        final byte[] delta = snapshot(2, 1, 1, ops ->
        {
            ops.remove(3);
            ops.update(ENTITY_ID, ownMoved, 0, entity(ENTITY_ID, 1), 0);
            ops.update(99, entity(99, 2), 0, entity(99, 1), 0);
            ops.enter(120, entity(120, 2), 0);
        });
        receive(delta);

        assertEquals(0, bot.errorCount());
        assertEquals(2, bot.ackSeq());
        final SnapshotDecoder view = bot.decoder();
        assertEquals(3, view.entityCount());
        assertEquals(ENTITY_ID, view.entityId(0));
        assertEquals(99, view.entityId(1));
        assertEquals(120, view.entityId(2));
        assertEquals(ENTITY_ID * 16 + 5, view.value(0, FIELD_X));
        assertEquals(FULL_HP - 10, view.value(0, FIELD_HP));
        assertEquals(entity(99, 2)[FIELD_X], view.value(1, FIELD_X), "moved as predicted, sent as nothing");
        assertEquals(entity(120, 2)[FIELD_X], view.value(2, FIELD_X));

        final BotResult result = bot.result(clock.nanoTime());
        assertEquals(1, result.fullSnapshots());
        assertEquals(1, result.deltaSnapshots());
        assertEquals(2, result.snapshotsReceived());
        assertEquals(full.length, result.fullSnapshotBytes());
        assertEquals(delta.length, result.deltaSnapshotBytes());
        assertEquals(0, result.checksumMismatches());
        assertEquals(2, group.metrics().counter(GroupMetrics.SNAPSHOTS));
    }

    @ParameterizedTest
    @EnumSource(PayloadKind.class)
    void acceptsValidSnapshotsFromAnyKindOfBuffer(final PayloadKind kind)
    {
        join();
        readBinary();

        final ByteBuf first = payload(kind, full(1, 1, 3, ENTITY_ID, 99));
        assertEquals(kind == PayloadKind.HEAP, first.hasArray());
        assertFalse(kind == PayloadKind.COMPOSITE && first.hasMemoryAddress());
        final ByteBuf second = payload(kind, steady(2, 1, 1, 3, ENTITY_ID, 99));
        channel.writeInbound(new BinaryWebSocketFrame(first));
        channel.writeInbound(new BinaryWebSocketFrame(second));

        assertEquals(0, first.refCnt());
        assertEquals(0, second.refCnt());
        assertEquals(2, bot.snapshotsReceived());
        assertEquals(2, bot.ackSeq());
        assertEquals(0, bot.errorCount());
        assertEquals(BotSession.State.JOINED, bot.state());
    }

    @Test
    void acceptsSequencesAcrossTheWrap()
    {
        join();
        readBinary();

        receive(full(-1, 0, ENTITY_ID));
        receive(steady(1, -1, 0, ENTITY_ID));

        assertEquals(2, bot.snapshotsReceived());
        assertEquals(0, bot.errorCount());
        assertEquals(entity(ENTITY_ID, 1)[FIELD_X], bot.decoder().value(0, FIELD_X));
    }

    @Test
    void replayedSnapshotSequenceIsAnError()
    {
        join();
        readBinary();

        receive(full(5, 1, ENTITY_ID));
        receive(full(5, 1, ENTITY_ID));

        assertFailed(BotError.STALE_SNAPSHOT, CloseCodes.PROTOCOL_ERROR);
        assertEquals(1, bot.snapshotsReceived());
    }

    @Test
    void olderSnapshotSequenceIsAnError()
    {
        join();
        readBinary();

        receive(full(5, 1, ENTITY_ID));
        receive(full(4, 1, ENTITY_ID));

        assertFailed(BotError.STALE_SNAPSHOT, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void deltaAgainstAnUnknownBaselineIsAnError()
    {
        join();
        readBinary();

        receive(full(1, 1, ENTITY_ID));
        receive(steady(3, 2, 1, ENTITY_ID));

        assertFailed(BotError.UNKNOWN_BASELINE, CloseCodes.PROTOCOL_ERROR);
        assertEquals(1, bot.snapshotsReceived());
    }

    @Test
    void checksumMismatchIsCountedAndTheBotKeepsItsLastGoodView()
    {
        join();
        readBinary();
        receive(full(1, 1, ENTITY_ID, 99));

        final byte[] corrupted = steady(2, 1, 1, ENTITY_ID, 99);
        corrupted[corrupted.length - 1] ^= 0x5A;
        receive(corrupted);

        assertEquals(1, group.metrics().errors(BotError.CHECKSUM_MISMATCH));
        assertEquals(1, bot.errorCount());
        assertEquals(BotSession.State.JOINED, bot.state());
        assertEquals(1, bot.ackSeq());
        assertEquals(entity(ENTITY_ID, 1)[FIELD_X], bot.decoder().value(0, FIELD_X));

        receive(steady(3, 1, 1, ENTITY_ID, 99));

        assertEquals(3, bot.ackSeq());
        assertEquals(1, bot.errorCount());
        final BotResult result = bot.result(clock.nanoTime());
        assertEquals(1, result.checksumMismatches());
        assertEquals(1, result.fullSnapshots());
        assertEquals(1, result.deltaSnapshots());
        assertEquals(1, result.errors());
    }

    @Test
    void missingOwnEntityIsAnError()
    {
        join();
        readBinary();

        receive(full(1, 1, 3, ENTITY_ID + 1, 99));

        assertFailed(BotError.MISSING_OWN_ENTITY, CloseCodes.PROTOCOL_ERROR);
        assertEquals(0, bot.snapshotsReceived());
        assertEquals(1, bot.result(clock.nanoTime()).unplannedDrops());
    }

    @Test
    void ownEntityRemovedByADeltaIsAnError()
    {
        join();
        readBinary();

        receive(full(1, 1, ENTITY_ID, 99));
        receive(snapshot(2, 1, 1, ops ->
        {
            ops.remove(ENTITY_ID);
            ops.update(99, entity(99, 2), 0, entity(99, 1), 0);
        }));

        assertFailed(BotError.MISSING_OWN_ENTITY, CloseCodes.PROTOCOL_ERROR);
        assertEquals(1, bot.snapshotsReceived());
    }

    @Test
    void lastInputSeqBeyondTheLastInputSentIsAnError()
    {
        join();
        readBinary();

        receive(full(1, 2, ENTITY_ID));

        assertFailed(BotError.BAD_INPUT_ACK, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void lastInputSeqGoingBackIsAnError()
    {
        join();
        readBinary();
        runCyclesFor(TICK_NS);
        readBinary();

        receive(full(1, 2, ENTITY_ID));
        receive(steady(2, 1, 1, ENTITY_ID));

        assertFailed(BotError.BAD_INPUT_ACK, CloseCodes.PROTOCOL_ERROR);
        assertEquals(1, bot.snapshotsReceived());
    }

    @Test
    void malformedSnapshotIsAnError()
    {
        join();
        readBinary();

        final byte[] valid = full(1, 1, ENTITY_ID);
        receive(Arrays.copyOf(valid, valid.length - 1));

        assertFailed(BotError.BAD_SNAPSHOT, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void snapshotShorterThanItsHeaderIsAnError()
    {
        join();
        readBinary();

        receive(new byte[]{ WireFormat.TYPE_SNAPSHOT, 0, 1 });

        assertFailed(BotError.BAD_SNAPSHOT, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void snapshotBeforeTheWelcomeIsAnError()
    {
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        readBinary();

        receive(full(1, 0, ENTITY_ID));

        assertFailed(BotError.UNEXPECTED_MESSAGE, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void noticeInsteadOfWelcomeIsARefusedJoin()
    {
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        readBinary();

        receive(control(new Notice(Notice.CODE_ROOM_FULL, 0, "room full")));

        assertFailed(BotError.JOIN_REFUSED, CloseCodes.NORMAL);
        assertFalse(bot.result(clock.nanoTime()).joined());
    }

    @Test
    void noAnswerToTheJoinWithinTheConnectTimeoutIsAnError()
    {
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        readBinary();

        runCyclesFor(CONNECT_TIMEOUT_NS - BotGroup.CYCLE_NS);
        assertEquals(BotSession.State.JOINING, bot.state());
        runCyclesFor(BotGroup.CYCLE_NS);

        assertFailed(BotError.JOIN_TIMEOUT, CloseCodes.NORMAL);
    }

    @Test
    void noticeWhileJoinedIsCountedAndTheBotCarriesOn()
    {
        join();
        readBinary();

        receive(control(new Notice(Notice.CODE_INPUT_REFUSED, 1, "busy")));
        receive(full(1, 1, ENTITY_ID));

        assertEquals(1, group.metrics().errors(BotError.NOTICE));
        assertEquals(1, bot.snapshotsReceived());
        assertEquals(BotSession.State.JOINED, bot.state());
    }

    @Test
    void undecodableControlMessageIsAnError()
    {
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        readBinary();

        receive(new byte[]{ WireFormat.TYPE_WELCOME, (byte)0xFF });

        assertFailed(BotError.BAD_CONTROL, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void textFrameIsAnError()
    {
        join();
        readBinary();

        final TextWebSocketFrame text = new TextWebSocketFrame("hello");
        channel.writeInbound(text);

        assertEquals(0, text.refCnt());
        assertFailed(BotError.UNEXPECTED_MESSAGE, CloseCodes.UNSUPPORTED_DATA);
    }

    @Test
    void aMalformedFrameIsCountedAndClosesWithProtocolError()
    {
        join();
        readBinary();

        final ByteBuf masked = Unpooled.wrappedBuffer(new byte[]{ (byte)0x82, (byte)0x81, 1, 2, 3, 4, 5 });
        channel.writeInbound(masked);

        assertEquals(0, masked.refCnt());
        assertFailed(BotError.BAD_FRAME, CloseCodes.PROTOCOL_ERROR);
        assertEquals(0, bot.snapshotsReceived());
    }

    @Test
    void aFrameLongerThanTheLimitClosesWithMessageTooBig()
    {
        join();
        readBinary();

        final ByteBuf header = Unpooled.buffer(10).writeByte(0x82).writeByte(ClientFrames.LENGTH_64)
            .writeLong(BotGroup.MAX_PAYLOAD_LENGTH + 1L);
        channel.writeInbound(header);

        assertEquals(0, header.refCnt());
        assertFailed(BotError.BAD_FRAME, CloseCodes.MESSAGE_TOO_BIG);
    }

    @Test
    void closeTheBotDidNotAskForIsAnError()
    {
        join();
        readBinary();

        channel.writeInbound(new CloseWebSocketFrame(CloseCodes.GOING_AWAY, "bye"));

        assertFailed(BotError.UNEXPECTED_CLOSE, CloseCodes.NORMAL);
        final BotResult result = bot.result(clock.nanoTime());
        assertEquals(1, result.unplannedDrops());
        assertTrue(result.dropped());
        assertFalse(result.returned());
    }

    @Test
    void aDrainingServersNoticeAndCloseEndTheSessionWithoutError()
    {
        join();
        readBinary();
        receive(full(1, 1, ENTITY_ID));

        receive(control(new Notice(Notice.CODE_SERVER_DRAINING, 2000, "server draining")));
        assertEquals(BotSession.State.JOINED, bot.state());
        channel.writeInbound(new CloseWebSocketFrame(CloseCodes.GOING_AWAY, "server draining"));

        final CloseWebSocketFrame echo = assertInstanceOf(CloseWebSocketFrame.class, lastOutbound());
        assertEquals(CloseCodes.GOING_AWAY, echo.statusCode());
        echo.release();
        assertFalse(channel.isOpen());
        assertEquals(BotSession.State.CLOSED, bot.state());
        assertEquals(0, bot.errorCount());
        assertEquals(0, finished.getCount(), "without churn or reconnect the bot is done");
        final BotResult result = bot.result(clock.nanoTime());
        assertEquals(0, result.unplannedDrops());
        assertFalse(result.joinedAtEnd());
    }

    @Test
    void aResetAfterTheDrainingNoticeEndsTheSessionWithoutError()
    {
        join();
        readBinary();

        receive(control(new Notice(Notice.CODE_SERVER_DRAINING, 1000, "server draining")));
        channel.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));

        assertFalse(channel.isOpen());
        assertEquals(BotSession.State.CLOSED, bot.state());
        assertEquals(0, bot.errorCount());
        assertEquals(0, bot.result(clock.nanoTime()).unplannedDrops());
    }

    @Test
    void aBotThatComesBackReconnectsAfterTheDelayADrainingServerHints()
    {
        releaseAll();
        start(CONFIG.toBuilder().reconnect(true).build());
        join();
        readBinary();
        final long hintNs = TimeUnit.MILLISECONDS.toNanos(2000);

        receive(control(new Notice(Notice.CODE_SERVER_DRAINING, 2000, "server draining")));
        channel.writeInbound(new CloseWebSocketFrame(CloseCodes.GOING_AWAY, "server draining"));

        assertEquals(BotSession.State.BACKOFF, bot.state());
        final long delayNs = group.dueNs(0) - clock.nanoTime();
        assertTrue(delayNs >= hintNs && delayNs <= hintNs + Backoff.DEFAULT_BASE_NS, "delay " + delayNs);
        final EmbeddedChannel first = channel;
        runCyclesFor(delayNs);
        assertNotSame(first, channel);
        join();
        assertEquals(0, bot.errorCount());
        assertEquals(1, bot.result(clock.nanoTime()).reconnects());
    }

    @Test
    void stopSendsACloseFrameAndFinishesWhenTheServerCloses()
    {
        join();
        readBinary();
        receive(full(1, 1, ENTITY_ID));
        clock.advance(TimeUnit.SECONDS.toNanos(2));

        group.stopAll();
        final CloseWebSocketFrame close = assertInstanceOf(CloseWebSocketFrame.class, lastOutbound());
        assertEquals(CloseCodes.NORMAL, close.statusCode());
        close.release();
        assertEquals(BotSession.State.CLOSING, bot.state());
        assertTrue(channel.isOpen());

        channel.writeInbound(new CloseWebSocketFrame(CloseCodes.NORMAL, ""));
        assertFalse(channel.isOpen());
        assertEquals(BotSession.State.CLOSED, bot.state());
        assertEquals(0, finished.getCount());
        assertEquals(0, bot.errorCount());

        final BotResult result = bot.result(clock.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        assertTrue(result.connected());
        assertTrue(result.joined());
        assertTrue(result.joinedAtEnd());
        assertFalse(result.dropped());
        assertEquals(TimeUnit.SECONDS.toNanos(2), result.joinedNs());
        assertEquals(0.5, result.snapshotsPerSecond(), 1e-9);
        assertEquals(0, group.metrics().counter(GroupMetrics.CONNECTED));
    }

    @Test
    void stopsSendingInputsOnceStopped()
    {
        join();
        readBinary();
        group.stopAll();
        assertEquals(WireFormat.TYPE_LEAVE, readBinary()[0], "a joined bot leaves, then closes");
        ((CloseWebSocketFrame)channel.readOutbound()).release();

        runCyclesFor(CLOSE_TIMEOUT_NS / 2);

        assertNull(channel.readOutbound());
        assertEquals(1, bot.lastInputSeqSent());
    }

    @Test
    void aConnectionStillOpenAtTheCloseTimeoutIsCutOff()
    {
        join();
        readBinary();
        group.stopAll();
        assertEquals(WireFormat.TYPE_LEAVE, readBinary()[0], "a joined bot leaves, then closes");
        ((CloseWebSocketFrame)channel.readOutbound()).release();

        runCyclesFor(CLOSE_TIMEOUT_NS - BotGroup.CYCLE_NS);
        assertTrue(channel.isOpen());
        runCyclesFor(BotGroup.CYCLE_NS);

        assertFalse(channel.isOpen());
        assertEquals(1, group.metrics().errors(BotError.CLOSE_TIMEOUT));
        assertEquals(1, bot.errorCount());
        assertEquals(0, finished.getCount());
    }

    @Test
    void measuresTheTimeFromAnInputToTheSnapshotThatAppliesIt()
    {
        join();
        readBinary();
        clock.advance(TimeUnit.MILLISECONDS.toNanos(30));

        receive(full(1, 1, ENTITY_ID));
        receive(steady(2, 1, 1, ENTITY_ID));

        assertEquals(1, group.metrics().inputLatencyUs().getTotalCount());
        assertEquals(30_000, group.metrics().inputLatencyUs().getMaxValue(), 30);
    }

    @Test
    void everyInputASnapshotAppliesIsTimedFromItsOwnSend()
    {
        join();
        readBinary();
        runCyclesFor(TICK_NS);
        readBinary();
        clock.advance(TimeUnit.MILLISECONDS.toNanos(10));

        receive(full(1, 2, ENTITY_ID));

        assertEquals(2, group.metrics().inputLatencyUs().getTotalCount());
        assertEquals(10_000, group.metrics().inputLatencyUs().getMinValue(), 10);
        assertEquals(10_000 + TICK_NS / 1000, group.metrics().inputLatencyUs().getMaxValue(), 60);
    }

    @Test
    void inputsAppliedTooLateToBeTimedAreCountedNotRecorded()
    {
        join();
        readBinary();
        runCyclesFor(InputTimer.INPUT_HISTORY * TICK_NS);
        drainOutbound();
        final int sent = bot.lastInputSeqSent();
        assertEquals(InputTimer.INPUT_HISTORY + 1, sent);

        receive(full(1, sent, ENTITY_ID));

        assertEquals(InputTimer.INPUT_HISTORY, group.metrics().inputLatencyUs().getTotalCount());
        assertEquals(1, bot.result(clock.nanoTime()).inputsUntimed());
    }

    @Test
    void recordsHowFarEachSnapshotIntervalStraysFromTheTickPeriod()
    {
        join();
        readBinary();
        receive(full(1, 1, ENTITY_ID));
        clock.advance(5 * TICK_NS);  // the server's pacing after a full snapshot: not jitter
        receive(steady(2, 1, 1, ENTITY_ID));
        clock.advance(TICK_NS);
        receive(steady(3, 2, 1, ENTITY_ID));
        clock.advance(TICK_NS + TimeUnit.MILLISECONDS.toNanos(10));
        receive(steady(4, 3, 1, ENTITY_ID));

        assertEquals(2, group.metrics().jitterUs().getTotalCount());
        assertEquals(0, group.metrics().jitterUs().getMinValue());
        assertEquals(10_000, group.metrics().jitterUs().getMaxValue(), 10);
    }

    @Test
    void samplesBeforeTheWarmupEndsAreNotRecorded()
    {
        final long warmupNs = TimeUnit.SECONDS.toNanos(1);
        start(CONFIG.toBuilder().warmupNs(warmupNs).pingIntervalNs(TimeUnit.MILLISECONDS.toNanos(100)).build());
        join();
        readBinary();
        readBinary();
        receive(full(1, 1, ENTITY_ID));
        receive(pong(START_NS));
        clock.advance(TICK_NS);
        receive(steady(2, 1, 1, ENTITY_ID));

        assertEquals(0, group.metrics().inputLatencyUs().getTotalCount());
        assertEquals(0, group.metrics().rttUs().getTotalCount());
        assertEquals(0, group.metrics().jitterUs().getTotalCount());

        runCyclesFor(warmupNs);
        drainOutbound();
        final int sent = bot.lastInputSeqSent();
        clock.advance(TimeUnit.MILLISECONDS.toNanos(5));
        receive(steady(3, 2, sent, ENTITY_ID));

        assertEquals(1, group.metrics().jitterUs().getTotalCount());
        assertTrue(group.metrics().inputLatencyUs().getTotalCount() > 0);
    }

    @Test
    void pingsAtTheIntervalAndRecordsTheRoundTripOfEachPong()
    {
        final long intervalNs = TimeUnit.MILLISECONDS.toNanos(250);
        start(CONFIG.toBuilder().pingIntervalNs(intervalNs).inputRateHz(1).build());
        join();

        readBinary();
        final UnsafeBuffer ping = new UnsafeBuffer(readBinary());
        final ClientMessageFlyweight message = new ClientMessageFlyweight().wrap(ping, 0, ping.capacity());
        assertEquals(ClientMessageFlyweight.PING_LENGTH, ping.capacity());
        assertEquals(WireFormat.TYPE_PING, message.type());
        assertEquals(clock.nanoTime(), message.pingTimestamp());
        clock.advance(TimeUnit.MILLISECONDS.toNanos(3));
        receive(pong(message.pingTimestamp()));

        assertEquals(0, bot.errorCount());
        assertEquals(1, group.metrics().rttUs().getTotalCount());
        assertEquals(3_000, group.metrics().rttUs().getMaxValue(), 3);

        runCyclesFor(intervalNs);
        final UnsafeBuffer next = new UnsafeBuffer(readBinary());
        assertEquals(WireFormat.TYPE_PING, next.getByte(0));
        assertNull(channel.readOutbound());
    }

    @Test
    void aPongForNoPingIsAnError()
    {
        start(CONFIG.toBuilder().pingIntervalNs(TimeUnit.MILLISECONDS.toNanos(250)).build());
        join();
        readBinary();
        readBinary();

        receive(pong(clock.nanoTime() + 1));

        assertFailed(BotError.BAD_PONG, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void aDroppedBotClosesOnPurposeBacksOffAndRejoinsTheSameRoom()
    {
        join();
        readBinary();
        receive(full(1, 1, ENTITY_ID));
        clock.advance(TimeUnit.SECONDS.toNanos(1));

        bot.drop(clock.nanoTime());
        final CloseWebSocketFrame close = assertInstanceOf(CloseWebSocketFrame.class, lastOutbound());
        assertEquals(CloseCodes.NORMAL, close.statusCode());
        close.release();
        channel.writeInbound(new CloseWebSocketFrame(CloseCodes.NORMAL, ""));

        assertEquals(BotSession.State.BACKOFF, bot.state());
        final long delayNs = group.dueNs(0) - clock.nanoTime();
        assertTrue(delayNs >= 0 && delayNs <= Backoff.DEFAULT_BASE_NS, "delay " + delayNs);
        assertEquals(0, group.metrics().counter(GroupMetrics.CONNECTED));

        final EmbeddedChannel first = channel;
        runCyclesFor(delayNs);
        assertNotSame(first, channel);
        assertEquals(BotSession.State.CONNECTING, bot.state());
        join();
        readBinary();
        receive(full(1, 1, ENTITY_ID));

        assertEquals(0, bot.errorCount());
        assertEquals(1, group.metrics().counter(GroupMetrics.RECONNECTS));
        final BotResult result = bot.result(clock.nanoTime());
        assertEquals(1, result.plannedDrops());
        assertEquals(0, result.unplannedDrops());
        assertEquals(1, result.reconnects());
        assertEquals(2, result.fullSnapshots());
        assertTrue(result.returned());
        assertEquals(1, finished.getCount(), "a returning bot is not finished");
    }

    @Test
    void aResumingBotLosesItsSocketAndComesBackWithItsTokenAndGoesOnWithItsStream()
    {
        startResuming();
        receive(presence(1, (encoder, buffer, position) -> joinEntry(encoder, buffer, position, PLAYER_ID, "bot-3")));
        receive(presence(2, (encoder, buffer, position) -> joinEntry(encoder, buffer, position, 21, "bot-21")));
        receive(full(1, 1, ENTITY_ID));
        dropAndReconnect();

        final byte[] join = readBinary();
        assertEquals(JoinRequest.resume("arena", ROOM, TOKEN, 2), codec.decode(new UnsafeBuffer(join), 0, join.length));
        receive(control(welcome(ENTITY_ID, 0, NEXT_TOKEN)));
        assertEquals(BotSession.State.JOINED, bot.state());
        receive(presence(3, (encoder, buffer, position) -> joinEntry(encoder, buffer, position, 22, "bot-22")));
        receive(full(2, 1, ENTITY_ID));

        assertEquals(0, bot.errorCount());
        assertEquals(3, bot.presence().members().size(), "the list goes on across the resume");
        final BotResult result = bot.result(clock.nanoTime());
        assertEquals(1, result.resumes());
        assertEquals(1, result.reconnects());
        assertEquals(0, result.resumesRefused());

        dropAndReconnect();
        final byte[] again = readBinary();
        assertEquals(JoinRequest.resume("arena", ROOM, NEXT_TOKEN, 3),
            codec.decode(new UnsafeBuffer(again), 0, again.length), "the token of the last welcome");
    }

    @Test
    void aResumedStreamThatRepeatsAMessageIsAnError()
    {
        startResuming();
        receive(presence(1, (encoder, buffer, position) -> joinEntry(encoder, buffer, position, PLAYER_ID, "bot-3")));
        dropAndReconnect();
        readBinary();
        receive(control(welcome(ENTITY_ID, 0, NEXT_TOKEN)));
        receive(presence(1, (encoder, buffer, position) -> joinEntry(encoder, buffer, position, 21, "bot-21")));

        assertEquals(1, group.metrics().errors(BotError.BAD_STREAM_SEQUENCE));
    }

    @Test
    void aResumeThatGivesBackAnotherAvatarIsAnError()
    {
        startResuming();
        dropAndReconnect();
        readBinary();
        receive(control(welcome(ENTITY_ID + 1, 0, NEXT_TOKEN)));

        assertEquals(1, group.metrics().errors(BotError.RESUME_MISMATCH));
    }

    @Test
    void aRefusedResumeIsCountedAndTheBotJoinsAfresh()
    {
        startResuming();
        dropAndReconnect();
        readBinary();
        receive(control(new Notice(Notice.CODE_RESUME_REFUSED, 0, "expired")));
        channel.writeInbound(new CloseWebSocketFrame(CloseCodes.RESUME_REFUSED, ""));
        assertEquals(BotSession.State.BACKOFF, bot.state());

        runCyclesFor(group.dueNs(0) - clock.nanoTime());
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        final byte[] join = readBinary();
        assertEquals(JoinRequest.named("arena", ROOM, SwarmConfig.playerName(BOT_INDEX)),
            codec.decode(new UnsafeBuffer(join), 0, join.length));
        assertEquals(0, bot.errorCount());
        assertEquals(1, bot.result(clock.nanoTime()).resumesRefused());
    }

    @Test
    void failedReconnectsAreCountedAndRetriedWithALongerBackoff()
    {
        join();
        readBinary();
        bot.drop(clock.nanoTime());
        channel.writeInbound(new CloseWebSocketFrame(CloseCodes.NORMAL, ""));
        refuseConnections = true;

        for (int failures = 1; failures <= 3; failures++)
        {
            runCyclesFor(group.dueNs(0) - clock.nanoTime());
            assertEquals(failures, group.metrics().errors(BotError.CONNECT_FAILED));
            assertEquals(BotSession.State.BACKOFF, bot.state());
            final long delayNs = group.dueNs(0) - clock.nanoTime();
            assertTrue(delayNs >= 0 && delayNs <= Backoff.DEFAULT_BASE_NS << failures, "delay " + delayNs);
        }

        refuseConnections = false;
        runCyclesFor(group.dueNs(0) - clock.nanoTime());
        join();
        assertEquals(1, bot.result(clock.nanoTime()).reconnects());
    }

    @Test
    void stopDuringABackoffFinishesTheBotWithoutError()
    {
        join();
        readBinary();
        bot.drop(clock.nanoTime());
        channel.writeInbound(new CloseWebSocketFrame(CloseCodes.NORMAL, ""));
        assertEquals(BotSession.State.BACKOFF, bot.state());

        group.stopAll();

        assertEquals(BotSession.State.CLOSED, bot.state());
        assertEquals(0, finished.getCount());
        assertEquals(0, bot.errorCount());
        final BotResult result = bot.result(clock.nanoTime());
        assertTrue(result.dropped());
        assertFalse(result.returned());
    }

    @Test
    void stopWhileADropIsClosingFinishesInsteadOfComingBack()
    {
        join();
        readBinary();
        bot.drop(clock.nanoTime());
        group.stopAll();

        channel.writeInbound(new CloseWebSocketFrame(CloseCodes.NORMAL, ""));

        assertEquals(BotSession.State.CLOSED, bot.state());
        assertEquals(0, finished.getCount());
    }

    @Test
    void failedFirstConnectIsCountedAndFinishesTheBot()
    {
        refuseConnections = true;
        final BotGroup other = newGroup(CONFIG, finished);
        final BotSession refused = other.newBot(0, ROOM, new ArenaBrain(StandStill.INSTANCE), START_NS);

        other.doWork(START_NS);

        assertEquals(1, other.metrics().errors(BotError.CONNECT_FAILED));
        assertEquals(BotSession.State.CLOSED, refused.state());
        assertEquals(0, finished.getCount());
    }

    @Test
    void stopBeforeConnectingFinishesWithoutError()
    {
        final CountDownLatch otherFinished = new CountDownLatch(1);
        final BotGroup other = newGroup(CONFIG, otherFinished);
        final BotSession idle =
            other.newBot(0, ROOM, new ArenaBrain(StandStill.INSTANCE), START_NS + TimeUnit.SECONDS.toNanos(1));

        other.stopAll();

        assertEquals(BotSession.State.CLOSED, idle.state());
        assertEquals(0, idle.errorCount());
        assertEquals(0, otherFinished.getCount());
    }

    @Test
    void acksStreamMessagesInTheNextInputPeriodOnlyOnce()
    {
        join();
        readInput();

        receive(presence(1, (encoder, buffer, position) -> joinEntry(encoder, buffer, position, PLAYER_ID, "bot-3")));
        receive(roomChat(2, "hello"));
        runCyclesFor(TICK_NS);

        readInput();
        final UnsafeBuffer ack = new UnsafeBuffer(readBinary());
        final ClientMessageFlyweight message = new ClientMessageFlyweight().wrap(ack, 0, ack.capacity());
        assertEquals(ClientMessageFlyweight.ACK_LENGTH, ack.capacity());
        assertEquals(WireFormat.TYPE_ACK, message.type());
        assertEquals(2, message.messageAck());
        assertNull(channel.readOutbound());

        runCyclesFor(TICK_NS);
        readInput();
        assertNull(channel.readOutbound(), "nothing new to acknowledge: no ACK");
        assertEquals(1, bot.result(clock.nanoTime()).acksSent());
        assertEquals(1, bot.result(clock.nanoTime()).messagesReceived());
    }

    @Test
    void aGapInTheStreamSequenceFailsTheBot()
    {
        join();
        readInput();

        receive(presence(1, (encoder, buffer, position) -> joinEntry(encoder, buffer, position, PLAYER_ID, "bot-3")));
        receive(roomChat(3, "skipped 2"));

        assertFailed(BotError.BAD_STREAM_SEQUENCE, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void aRepeatedStreamSequenceFailsTheBot()
    {
        join();
        readInput();

        receive(roomChat(1, "first"));
        receive(roomChat(1, "again"));

        assertFailed(BotError.BAD_STREAM_SEQUENCE, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void thePresenceListFollowsJoinUpdateAndLeave()
    {
        join();
        readInput();

        receive(presence(1, (encoder, buffer, position) ->
        {
            final int next = joinEntry(encoder, buffer, position, PLAYER_ID, "bot-3");
            return joinEntry(encoder, buffer, next, 20, "bot-20");
        }));
        receive(presence(2, (encoder, buffer, position) -> joinEntry(encoder, buffer, position, 21, "bot-21")));
        receive(presence(3, (encoder, buffer, position) -> encoder.putJoin(buffer, position, PresenceEntry.OP_UPDATE,
            20, 77, "bot-20", new String[]{ "team" }, new String[]{ "blue" }, 1)));
        receive(presence(4, (encoder, buffer, position) ->
            encoder.putLeave(buffer, position, 21, LeaveReason.values()[0].code())));

        assertEquals(0, bot.errorCount());
        final Map<Integer, PresenceList.Member> members = bot.presence().members();
        assertEquals(List.of(PLAYER_ID, 20), List.copyOf(members.keySet()));
        assertEquals(new PresenceList.Member("bot-3", Map.of("team", "red")), members.get(PLAYER_ID));
        assertEquals(new PresenceList.Member("bot-20", Map.of("team", "blue")), members.get(20));
        assertEquals(77, bot.presence().get(20).entityId());
        final PresenceAudit.Report report = bot.presenceReport();
        assertEquals(ROOM, report.room());
        assertEquals(PLAYER_ID, report.playerId());
        assertEquals(members, report.members());
    }

    /**
     * Two bots of a group in one room see the same list: their presence reports share one instance of it, so a room
     * of n bots keeps n members alive until the audit, not n².
     */
    @Test
    void theGroupsPresenceReportsShareOneInstanceOfEachEqualList()
    {
        clock.update(START_NS);
        group = newGroup(CONFIG, finished, 2);
        group.newBot(3, ROOM, new ArenaBrain(StandStill.INSTANCE), START_NS);
        group.newBot(4, ROOM, new ArenaBrain(StandStill.INSTANCE), START_NS);
        final int before = channels.size();
        group.doWork(START_NS);
        assertEquals(before + 2, channels.size());
        for (int i = 0; i < 2; i++)
        {
            channel = channels.get(before + i);
            channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
            readBinary();
            receive(control(new Welcome(7L, TICK_RATE_HZ, 3 + i, ENTITY_ID + i, "arena", ROOM,
                HISTORY_WINDOW_TICKS, SCHEMA, INPUT_SCHEMA, MESSAGE_TYPES, Map.of(), 1)));
            receive(presence(1, (encoder, buffer, position) ->
            {
                final int next = joinEntry(encoder, buffer, position, 3, SwarmConfig.playerName(3));
                return joinEntry(encoder, buffer, next, 4, SwarmConfig.playerName(4));
            }));
        }

        final List<PresenceAudit.Report> reports = new ArrayList<>();
        group.addPresenceReports(reports);
        assertEquals(List.of(3, 4), reports.stream().map(PresenceAudit.Report::playerId).toList());
        assertEquals(List.of(3, 4), List.copyOf(reports.get(0).members().keySet()));
        assertSame(reports.get(0).members(), reports.get(1).members(), "one instance of the equal list");
        assertEquals(new PresenceAudit.Result(1, 0), PresenceAudit.audit(reports));
    }

    @Test
    void aPresenceThatContradictsTheListFailsTheBot()
    {
        join();
        readInput();

        receive(presence(1, (encoder, buffer, position) ->
            encoder.putLeave(buffer, position, 20, LeaveReason.values()[0].code())));

        assertFailed(BotError.BAD_PRESENCE, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void theBrainsMovesAreEncodedByFieldNameIntoTheWelcomesInputSchema()
    {
        final BotScript fullSpeedRightAndUp = new BotScript()
        {
            public void step(final SnapshotDecoder view, final int ownEntityId)
            {
            }

            public int moveX()
            {
                return BotScript.MAX_MOVE;
            }

            public int moveY()
            {
                return -BotScript.MAX_MOVE;
            }
        };
        final InputSchema reordered = new InputSchema(List.of(
            FieldDef.uint("buttons", 3),
            FieldDef.integer("moveY", -1000, 1000),
            FieldDef.integer("moveX", -10, 10),
            FieldDef.integer("throttle", 5, 9)));
        start(CONFIG, fullSpeedRightAndUp);
        join(SCHEMA, reordered);

        final byte[] bytes = readBinary();
        final int[] values = new int[reordered.fieldCount()];
        assertEquals(ClientMessageError.NONE,
            new InputCodec(reordered).decode(new UnsafeBuffer(bytes), 0, bytes.length, values));
        assertArrayEquals(new int[]{ 0, -1000, 10, 5 }, values, "buttons 0, moves scaled, no such field: clamped 0");
    }

    @Test
    void aTagBotChatsAndTimesTheDeliveryOfItsOwnChatBackToIt()
    {
        startTag();
        join();

        final String text = awaitChat(1);
        assertTrue(text.startsWith(SwarmConfig.playerName(BOT_INDEX) + " #"), text);
        clock.advance(TimeUnit.MILLISECONDS.toNanos(20));
        receive(roomChat(1, "bot-" + (BOT_INDEX + 10) + " #1"));
        receive(roomChat(2, text));

        assertEquals(0, bot.errorCount());
        assertEquals(1, group.metrics().messageLatencyUs().getTotalCount());
        assertEquals(20_000, group.metrics().messageLatencyUs().getMaxValue(), 20);
        final BotResult result = bot.result(clock.nanoTime());
        assertEquals(1, result.messagesSent());
        assertEquals(2, result.messagesReceived());
        assertEquals(1, result.messagesDelivered());
        final Map<String, Long> byType = new HashMap<>();
        group.metrics().addMessagesByTypeTo(byType);
        assertEquals(Map.of("chat", 2L), byType);

        receive(roomChat(3, text));
        assertEquals(1, group.metrics().messageLatencyUs().getTotalCount(), "a chat is timed once");
    }

    @Test
    void aTagBotAimsAtTheNearestEntityAndFiresNowAndThen()
    {
        startTag();
        join(FakeServer.SCHEMA, INPUT_SCHEMA);
        readInput();
        final SnapshotEncoder positions = new SnapshotEncoder(FakeServer.SCHEMA);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SnapshotEncoder.maxLength(FakeServer.SCHEMA, 2)]);
        positions.begin(buffer, 0, 1, 1, Sequence.NONE, 0, 1, true, Sequence.NONE);
        positions.enter(ENTITY_ID, new int[]{ 100, 0, 0, 0, FULL_HP }, 0);
        positions.enter(ENTITY_ID + 1, new int[]{ 50, 0, 0, 0, FULL_HP }, 0);
        receive(Arrays.copyOf(buffer.byteArray(), positions.finish()));

        boolean fired = false;
        for (int i = 0; i < 200 && !fired; i++)
        {
            runCyclesFor(TICK_NS);
            drainUntilInput();
            assertEquals(0, bot.errorCount());
            fired = (inputValues[3] & TagBrain.FIRE_BIT) != 0;
        }
        assertTrue(fired);
        assertEquals(180, Math.abs(inputValues[2]), "aims along -x: half a turn");
    }

    @Test
    void aResumingTagBotSendsAgainTheChatsNoSnapshotConfirmedAndFailsOnAChatDeliveredTwice()
    {
        start(CONFIG.toBuilder().game(GameKind.TAG).resume(true).build(),
            new TagBrain(new ArenaBrain(StandStill.INSTANCE), CONFIG.seed(), BOT_INDEX));
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        readBinary();
        receive(control(welcome(ENTITY_ID, 1, TOKEN)));
        awaitChat(1);
        final String second = awaitChat(2);
        receive(snapshot(1, Sequence.NONE, 1, 1, ops -> ops.enter(ENTITY_ID, entity(ENTITY_ID, 1), 0)));

        dropAndReconnect();
        readBinary();
        receive(control(welcome(ENTITY_ID, 0, NEXT_TOKEN)));
        assertEquals(second, awaitChat(2), "the unconfirmed chat goes again, with its own sequence");
        assertEquals(0, bot.errorCount());

        receive(roomChat(1, second));
        receive(roomChat(2, second));
        assertEquals(1, group.metrics().errors(BotError.DUPLICATE_MESSAGE));
    }

    @Test
    void aSnapshotMessageAckBeyondTheLastMessageSentIsAnError()
    {
        startTag();
        join();
        awaitChat(1);

        receive(snapshot(1, Sequence.NONE, 1, 1, ops -> ops.enter(ENTITY_ID, entity(ENTITY_ID, 1), 0)));
        assertEquals(0, bot.errorCount());
        assertEquals(1, bot.decoder().messageAck());
        receive(snapshot(2, 1, 1, 2, ops -> ops.update(ENTITY_ID, entity(ENTITY_ID, 2), 0, entity(ENTITY_ID, 1), 0)));

        assertFailed(BotError.BAD_MESSAGE_ACK, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void aSnapshotMessageAckGoingBackIsAnError()
    {
        startTag();
        join();
        awaitChat(1);
        awaitChat(2);

        receive(snapshot(1, Sequence.NONE, 1, 2, ops -> ops.enter(ENTITY_ID, entity(ENTITY_ID, 1), 0)));
        receive(snapshot(2, 1, 1, 1, ops -> ops.update(ENTITY_ID, entity(ENTITY_ID, 2), 0, entity(ENTITY_ID, 1), 0)));

        assertFailed(BotError.BAD_MESSAGE_ACK, CloseCodes.PROTOCOL_ERROR);
    }

    private void start(final SwarmConfig config)
    {
        start(config, new RandomWalk(1, BOT_INDEX));
    }

    private void start(final SwarmConfig config, final BotScript script)
    {
        start(config, new ArenaBrain(script));
    }

    /**
     * Makes the group and its bot, due to connect at the start, and runs the first cycle, which connects it.
     */
    private void start(final SwarmConfig config, final GameBrain brain)
    {
        clock.update(START_NS);
        group = newGroup(config, finished);
        bot = group.newBot(BOT_INDEX, ROOM, brain, START_NS);
        group.doWork(START_NS);
    }

    private void startTag()
    {
        start(CONFIG.toBuilder().game(GameKind.TAG).build(),
            new TagBrain(new ArenaBrain(StandStill.INSTANCE), CONFIG.seed(), BOT_INDEX));
    }

    /**
     * Runs the cycle until the bot sends a chat, checks it is the {@code messageSeq}th of the session, and returns
     * its text; every other message sent meanwhile is read and dropped.
     */
    private String awaitChat(final int messageSeq)
    {
        final MessageCodec messageCodec = new MessageCodec(FakeServer.GAME);
        final long endNs = clock.nanoTime() + 3 * TagBrain.CHAT_INTERVAL_NS;
        while (clock.nanoTime() < endNs)
        {
            for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound())
            {
                final BinaryWebSocketFrame frame = (BinaryWebSocketFrame)out;
                final byte[] bytes = ByteBufUtil.getBytes(frame.content());
                frame.release();
                if (bytes[0] == WireFormat.TYPE_MESSAGE)
                {
                    final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
                    assertEquals(ClientMessageError.NONE, messageCodec.validateClient(buffer, 0, bytes.length));
                    assertEquals(messageSeq, new ClientMessageFlyweight().wrap(buffer, 0, bytes.length).messageSeq());
                    return new MessageReader().wrap(messageCodec.type(), buffer, messageCodec.fieldsOffset(),
                        messageCodec.fieldsLength()).getText(0);
                }
            }
            runCyclesFor(TICK_NS);
        }
        throw new AssertionError("no chat within " + 3 * TagBrain.CHAT_INTERVAL_NS + " ns");
    }

    /**
     * Reads outbound messages up to and including the next INPUT, whose values land in {@link #inputValues}.
     */
    private void drainUntilInput()
    {
        for (byte[] bytes = readBinary(); ; bytes = readBinary())
        {
            if (bytes[0] == WireFormat.TYPE_INPUT)
            {
                assertEquals(ClientMessageError.NONE,
                    inputCodec.decode(new UnsafeBuffer(bytes), 0, bytes.length, inputValues));
                return;
            }
        }
    }

    /**
     * Writes the entries of a PRESENCE message from {@code position} and returns the position after them.
     */
    @FunctionalInterface
    private interface PresenceEntries
    {
        int put(PresenceEncoder encoder, UnsafeBuffer buffer, int position);
    }

    private static byte[] presence(final int seq, final PresenceEntries entries)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[PresenceEncoder.MAX_MESSAGE_LENGTH]);
        final PresenceEncoder encoder = new PresenceEncoder();
        final int length = entries.put(encoder, buffer, encoder.begin(buffer, 0, seq));
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    private static int joinEntry(
        final PresenceEncoder encoder, final UnsafeBuffer buffer, final int position, final int playerId,
        final String name)
    {
        return encoder.putJoin(buffer, position, PresenceEntry.OP_JOIN, playerId, playerId + 100, name,
            new String[]{ "team" }, new String[]{ "red" }, 1);
    }

    private static byte[] roomChat(final int seq, final String text)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length =
            new MessageEncoder().begin(FakeServer.CHAT).putText(0, text).encodeRoomMessage(buffer, 0, seq);
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    /**
     * The group's clock: {@link #clock}, or a failure once when {@link #failNextClockRead} is set.
     */
    private long readClock()
    {
        if (failNextClockRead)
        {
            failNextClockRead = false;
            throw new IllegalStateException("clock read failed");
        }
        return clock.nanoTime();
    }

    private BotGroup newGroup(final SwarmConfig config, final CountDownLatch finishedBots)
    {
        return newGroup(config, finishedBots, 1);
    }

    private BotGroup newGroup(final SwarmConfig config, final CountDownLatch finishedBots, final int capacity)
    {
        return new BotGroup(config, 0, START_NS, this::readClock, finishedBots, capacity, this::connectEmbedded,
            new ConnectTarget(new InetSocketAddress(InetAddress.getLoopbackAddress(), 7777), config.url(),
                WireFormat.SUBPROTOCOL), null, Runnable::run);
    }

    private ChannelFuture connectEmbedded(final BotHandler connecting, final ConnectTarget target)
    {
        frames = new ServerSideFrames();
        final EmbeddedChannel embedded = ServerSideFrames.botChannel(frames, connecting);
        channels.add(embedded);
        channel = embedded;
        return refuseConnections ?
            embedded.newFailedFuture(new ConnectException("refused")) : embedded.newSucceededFuture();
    }

    /**
     * Advances the clock by {@code durationNs}, one cycle at a time, running the group's cycle at each.
     */
    private void runCyclesFor(final long durationNs)
    {
        final long endNs = clock.nanoTime() + durationNs;
        while (clock.nanoTime() < endNs)
        {
            clock.update(Math.min(endNs, clock.nanoTime() + BotGroup.CYCLE_NS));
            group.doWork(clock.nanoTime());
        }
    }

    /**
     * Starts a bot that resumes after a drop, joined with a welcome carrying {@link #TOKEN}; its first input read.
     */
    private void startResuming()
    {
        start(CONFIG.toBuilder().resume(true).churnPerSecond(0).build());
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        readBinary();
        receive(control(welcome(ENTITY_ID, 1, TOKEN)));
        group.doWork(clock.nanoTime());
        readBinary();
    }

    /**
     * Drops the bot, checks it closed its socket without a close frame, and runs the cycle until it has connected
     * again.
     */
    private void dropAndReconnect()
    {
        bot.drop(clock.nanoTime());
        final Object last = lastOutbound();
        final boolean closeFrame = last instanceof CloseWebSocketFrame;
        ReferenceCountUtil.release(last);
        assertFalse(closeFrame, "a lost connection sends no close frame");
        assertFalse(channel.isOpen());
        assertEquals(BotSession.State.BACKOFF, bot.state());
        final EmbeddedChannel dropped = channel;
        runCyclesFor(group.dueNs(0) - clock.nanoTime());
        assertNotSame(dropped, channel);
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
    }

    private static Welcome welcome(final int entityId, final int presenceCount, final ResumeToken token)
    {
        return new Welcome(7L, TICK_RATE_HZ, PLAYER_ID, entityId, "arena", ROOM, HISTORY_WINDOW_TICKS, SCHEMA,
            INPUT_SCHEMA, MESSAGE_TYPES, Map.of(), presenceCount, token);
    }

    /**
     * Completes the handshake, reads the join, answers it with a welcome and runs the cycle once, which sends the
     * first input (and the first ping, when pings are on).
     */
    private void join()
    {
        join(SCHEMA, INPUT_SCHEMA);
    }

    private void join(final EntitySchema entitySchema, final InputSchema inputSchema)
    {
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        readBinary();
        receive(control(new Welcome(7L, TICK_RATE_HZ, PLAYER_ID, ENTITY_ID, "arena", ROOM, HISTORY_WINDOW_TICKS,
            entitySchema, inputSchema, MESSAGE_TYPES, Map.of(), 1)));
        assertEquals(BotSession.State.JOINED, bot.state());
        group.doWork(clock.nanoTime());
    }

    /**
     * Reads the next outbound message, an INPUT, and decodes its values into {@link #inputValues}.
     */
    private ClientMessageFlyweight readInput()
    {
        final byte[] bytes = readBinary();
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        assertEquals(WireFormat.TYPE_INPUT, bytes[0]);
        assertEquals(ClientMessageError.NONE, inputCodec.decode(buffer, 0, bytes.length, inputValues));
        return new ClientMessageFlyweight().wrap(buffer, 0, bytes.length);
    }

    private void assertFailed(final BotError kind, final int closeCode)
    {
        assertEquals(1, group.metrics().errors(kind));
        assertEquals(1, bot.errorCount());
        final CloseWebSocketFrame close = assertInstanceOf(CloseWebSocketFrame.class, lastOutbound());
        assertEquals(closeCode, close.statusCode());
        close.release();
        assertFalse(channel.isOpen());
        assertEquals(BotSession.State.CLOSED, bot.state());
        assertEquals(0, finished.getCount());
    }

    private void drainOutbound()
    {
        for (Object message = channel.readOutbound(); message != null; message = channel.readOutbound())
        {
            ((BinaryWebSocketFrame)message).release();
        }
    }

    private Object lastOutbound()
    {
        Object last = null;
        for (Object message = channel.readOutbound(); message != null; message = channel.readOutbound())
        {
            if (last instanceof BinaryWebSocketFrame)
            {
                ((BinaryWebSocketFrame)last).release();
            }
            last = message;
        }
        return last;
    }

    private byte[] readBinary()
    {
        final BinaryWebSocketFrame frame = assertInstanceOf(BinaryWebSocketFrame.class, channel.readOutbound());
        final byte[] bytes = ByteBufUtil.getBytes(frame.content());
        frame.release();
        return bytes;
    }

    private void receive(final byte[] bytes)
    {
        final ByteBuf content = Unpooled.wrappedBuffer(bytes);
        channel.writeInbound(new BinaryWebSocketFrame(content));
        assertEquals(0, content.refCnt());
    }

    private static byte[] pong(final long timestamp)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[PongFlyweight.LENGTH]);
        new PongFlyweight().wrap(buffer, 0).encode(timestamp);
        return buffer.byteArray();
    }

    private byte[] control(final Object message)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final int length = codec.encode(message, buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    /**
     * @return a snapshot at tick {@code seq}, a delta against {@code baselineSeq} (at tick {@code baselineSeq}) or
     * full when that is {@link Sequence#NONE}, with the entity operations {@code operations} adds, and a checksum.
     */
    private byte[] snapshot(
        final int seq, final int baselineSeq, final int lastInputSeq, final Consumer<SnapshotEncoder> operations)
    {
        return snapshot(seq, baselineSeq, lastInputSeq, Sequence.NONE, operations);
    }

    /**
     * @return a snapshot as {@link #snapshot(int, int, int, Consumer)} makes it, carrying {@code messageAck} unless
     * that is {@link Sequence#NONE}.
     */
    private byte[] snapshot(
        final int seq,
        final int baselineSeq,
        final int lastInputSeq,
        final int messageAck,
        final Consumer<SnapshotEncoder> operations)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SnapshotEncoder.maxLength(SCHEMA, 16)]);
        encoder.begin(buffer, 0, seq, seq, baselineSeq, baselineSeq, lastInputSeq, true, messageAck);
        operations.accept(encoder);
        return Arrays.copyOf(buffer.byteArray(), encoder.finish());
    }

    /**
     * @return a full snapshot of the entities {@code ids}, ascending, each as {@link #entity} at tick {@code seq}.
     */
    private byte[] full(final int seq, final int lastInputSeq, final int... ids)
    {
        return snapshot(seq, Sequence.NONE, lastInputSeq, ops ->
        {
            for (final int id : ids)
            {
                ops.enter(id, entity(id, seq), 0);
            }
        });
    }

    /**
     * @return a delta of the same entities as the baseline, every one where its velocity predicts it: no operation
     * is written, and the view moves on.
     */
    private byte[] steady(final int seq, final int baselineSeq, final int lastInputSeq, final int... ids)
    {
        return snapshot(seq, baselineSeq, lastInputSeq, ops ->
        {
            for (final int id : ids)
            {
                ops.update(id, entity(id, seq), 0, entity(id, baselineSeq), 0);
            }
        });
    }

    /**
     * @return the fields of entity {@code id} at {@code tick}: moving {@link #SPEED} steps a tick from x = 16 * id,
     * at full hit points.
     */
    private static int[] entity(final int id, final int tick)
    {
        return new int[]{ id * 16 + SPEED * tick, SPEED, FULL_HP };
    }

    private static ByteBuf payload(final PayloadKind kind, final byte[] bytes)
    {
        switch (kind)
        {
            case HEAP:
                return Unpooled.wrappedBuffer(bytes);
            case DIRECT:
                return Unpooled.directBuffer(bytes.length).writeBytes(bytes);
            default:
                final int half = bytes.length / 2;
                return Unpooled.wrappedBuffer(
                    Unpooled.copiedBuffer(bytes, 0, half), Unpooled.copiedBuffer(bytes, half, bytes.length - half));
        }
    }
}
