package io.tickwire.bots;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.SnapshotFlyweight;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.Welcome;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.ConnectException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives one bot's handler in an {@link EmbeddedChannel} with a fake clock: the join, the inputs, and the
 * verification of crafted snapshots.
 */
@Timeout(10)
class BotTest
{
    private static final int BOT_INDEX = 3;
    private static final String ROOM = "arena-1";
    private static final int TICK_RATE_HZ = 20;
    private static final int ENTITY_ID = 42;
    private static final long START_NS = TimeUnit.SECONDS.toNanos(100);

    enum PayloadKind
    {
        HEAP, DIRECT, COMPOSITE
    }

    private final CachedNanoClock clock = new CachedNanoClock();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final BotGroup group = new BotGroup(clock, finished, 1);
    private final Bot bot =
        new Bot(BOT_INDEX, ROOM, SwarmConfig.INPUT_RATE_FROM_WELCOME, new RandomWalk(1, BOT_INDEX), group);
    private final ControlCodec codec = new ControlCodec();
    private EmbeddedChannel channel;

    @BeforeEach
    void connect()
    {
        clock.update(START_NS);
        channel = new EmbeddedChannel(bot);
        channel.freezeTime();
        group.add(bot);
        bot.onConnectStarted(channel.newSucceededFuture());
    }

    @AfterEach
    void releaseAll()
    {
        channel.finishAndReleaseAll();
    }

    @Test
    void sendsJoinWhenTheHandshakeCompletes()
    {
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);

        final byte[] join = readBinary();
        assertEquals(WireFormat.TYPE_JOIN, join[0]);
        assertEquals(new JoinRequest(ROOM, "bot-" + BOT_INDEX), codec.decode(new UnsafeBuffer(join), 0, join.length));
        assertEquals(Bot.State.JOINING, bot.state());
    }

    @Test
    void sendsInputsAtTheTickRateOnceWelcomed()
    {
        join();

        final UnsafeBuffer first = new UnsafeBuffer(readBinary());
        final ClientMessageFlyweight input = new ClientMessageFlyweight().wrap(first, 0, first.capacity());
        assertEquals(ClientMessageFlyweight.INPUT_LENGTH, first.capacity());
        assertEquals(WireFormat.TYPE_INPUT, input.type());
        assertEquals(0, input.ack());
        assertEquals(1, input.inputSeq());
        assertEquals(0, input.buttons());

        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runPendingTasks();
        for (int seq = 2; seq <= TICK_RATE_HZ + 1; seq++)
        {
            final UnsafeBuffer bytes = new UnsafeBuffer(readBinary());
            input.wrap(bytes, 0, bytes.capacity());
            assertEquals(seq, input.inputSeq());
            assertTrue(Math.abs(input.moveX()) <= ClientMessageFlyweight.MAX_MOVE);
            assertTrue(Math.abs(input.moveY()) <= ClientMessageFlyweight.MAX_MOVE);
        }
        assertNull(channel.readOutbound());
        assertEquals(TICK_RATE_HZ + 1, bot.lastInputSeqSent());
    }

    @Test
    void acksTheLastSnapshotInTheNextInput()
    {
        join();
        readBinary();
        receive(snapshot(7, 1, ENTITY_ID));

        channel.advanceTimeBy(1000 / TICK_RATE_HZ, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
        final UnsafeBuffer bytes = new UnsafeBuffer(readBinary());
        assertEquals(7, new ClientMessageFlyweight().wrap(bytes, 0, bytes.capacity()).ack());
    }

    @ParameterizedTest
    @EnumSource(PayloadKind.class)
    void acceptsValidSnapshotsFromAnyKindOfBuffer(final PayloadKind kind)
    {
        join();
        readBinary();

        final ByteBuf first = payload(kind, snapshot(1, 1, 3, ENTITY_ID, 99));
        assertEquals(kind == PayloadKind.HEAP, first.hasArray());
        assertFalse(kind == PayloadKind.COMPOSITE && first.hasMemoryAddress());
        final ByteBuf second = payload(kind, snapshot(2, 1, ENTITY_ID));
        channel.writeInbound(new BinaryWebSocketFrame(first));
        channel.writeInbound(new BinaryWebSocketFrame(second));

        assertEquals(0, first.refCnt());
        assertEquals(0, second.refCnt());
        assertEquals(2, bot.snapshotsReceived());
        assertEquals(2, bot.lastSnapshotSeq());
        assertEquals(0, bot.errorCount());
        assertEquals(Bot.State.JOINED, bot.state());
    }

    @Test
    void acceptsSequencesAcrossTheWrap()
    {
        join();
        readBinary();

        receive(snapshot(-1, 0, ENTITY_ID));
        receive(snapshot(1, 0, ENTITY_ID));

        assertEquals(2, bot.snapshotsReceived());
        assertEquals(0, bot.errorCount());
    }

    @Test
    void replayedSnapshotSequenceIsAnError()
    {
        join();
        readBinary();

        receive(snapshot(5, 1, ENTITY_ID));
        receive(snapshot(5, 1, ENTITY_ID));

        assertFailed(BotError.STALE_SNAPSHOT, CloseCodes.PROTOCOL_ERROR);
        assertEquals(1, bot.snapshotsReceived());
    }

    @Test
    void olderSnapshotSequenceIsAnError()
    {
        join();
        readBinary();

        receive(snapshot(5, 1, ENTITY_ID));
        receive(snapshot(4, 1, ENTITY_ID));

        assertFailed(BotError.STALE_SNAPSHOT, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void missingOwnEntityIsAnError()
    {
        join();
        readBinary();

        receive(snapshot(1, 1, 3, ENTITY_ID + 1, 99));

        assertFailed(BotError.MISSING_OWN_ENTITY, CloseCodes.PROTOCOL_ERROR);
        assertEquals(0, bot.snapshotsReceived());
    }

    @Test
    void lastInputSeqBeyondTheLastInputSentIsAnError()
    {
        join();
        readBinary();

        receive(snapshot(1, 2, ENTITY_ID));

        assertFailed(BotError.BAD_INPUT_ACK, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void lastInputSeqGoingBackIsAnError()
    {
        join();
        readBinary();
        channel.advanceTimeBy(1000 / TICK_RATE_HZ, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
        readBinary();

        receive(snapshot(1, 2, ENTITY_ID));
        receive(snapshot(2, 1, ENTITY_ID));

        assertFailed(BotError.BAD_INPUT_ACK, CloseCodes.PROTOCOL_ERROR);
        assertEquals(1, bot.snapshotsReceived());
    }

    @Test
    void malformedSnapshotIsAnError()
    {
        join();
        readBinary();

        final byte[] valid = snapshot(1, 1, ENTITY_ID);
        final byte[] truncated = new byte[valid.length - 1];
        System.arraycopy(valid, 0, truncated, 0, truncated.length);
        receive(truncated);

        assertFailed(BotError.BAD_SNAPSHOT, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void snapshotBeforeTheWelcomeIsAnError()
    {
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        readBinary();

        receive(snapshot(1, 0, ENTITY_ID));

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
    void noticeWhileJoinedIsCountedAndTheBotCarriesOn()
    {
        join();
        readBinary();

        receive(control(new Notice(Notice.CODE_INPUT_REFUSED, 1, "busy")));
        receive(snapshot(1, 1, ENTITY_ID));

        assertEquals(1, bot.errorCount(BotError.NOTICE));
        assertEquals(1, bot.snapshotsReceived());
        assertEquals(Bot.State.JOINED, bot.state());
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
    void closeTheBotDidNotAskForIsAnError()
    {
        join();
        readBinary();

        channel.writeInbound(new CloseWebSocketFrame(CloseCodes.GOING_AWAY, "bye"));

        assertFailed(BotError.UNEXPECTED_CLOSE, CloseCodes.NORMAL);
    }

    @Test
    void stopSendsACloseFrameAndFinishesWhenTheServerCloses()
    {
        join();
        readBinary();
        receive(snapshot(1, 1, ENTITY_ID));
        clock.advance(TimeUnit.SECONDS.toNanos(2));

        bot.stop();
        final CloseWebSocketFrame close = channel.readOutbound();
        assertEquals(CloseCodes.NORMAL, close.statusCode());
        close.release();
        assertEquals(Bot.State.CLOSING, bot.state());
        assertTrue(channel.isOpen());

        channel.writeInbound(new CloseWebSocketFrame(CloseCodes.NORMAL, ""));
        assertFalse(channel.isOpen());
        assertEquals(Bot.State.CLOSED, bot.state());
        assertEquals(0, finished.getCount());
        assertEquals(0, bot.errorCount());

        final BotResult result = bot.result(clock.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        assertTrue(result.connected());
        assertTrue(result.joined());
        assertEquals(TimeUnit.SECONDS.toNanos(2), result.joinedNs());
        assertEquals(0.5, result.snapshotsPerSecond(), 1e-9);
    }

    @Test
    void stopsSendingInputsOnceStopped()
    {
        join();
        readBinary();
        bot.stop();
        ((CloseWebSocketFrame)channel.readOutbound()).release();

        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runPendingTasks();

        assertNull(channel.readOutbound());
        assertEquals(1, bot.lastInputSeqSent());
    }

    @Test
    void forceCloseCountsACloseTimeout()
    {
        join();
        readBinary();
        bot.stop();
        ((CloseWebSocketFrame)channel.readOutbound()).release();

        bot.forceClose();

        assertFalse(channel.isOpen());
        assertEquals(1, bot.errorCount(BotError.CLOSE_TIMEOUT));
        assertEquals(0, finished.getCount());
    }

    @Test
    void measuresTheTimeFromAnInputToTheSnapshotThatAppliesIt()
    {
        join();
        readBinary();
        clock.advance(TimeUnit.MILLISECONDS.toNanos(30));

        receive(snapshot(1, 1, ENTITY_ID));
        receive(snapshot(2, 1, ENTITY_ID));

        assertEquals(1, group.inputLatencyUs().getTotalCount());
        assertEquals(30_000, group.inputLatencyUs().getMaxValue(), 30);
    }

    @Test
    void failedConnectIsCountedAndFinishesTheBot()
    {
        final CountDownLatch otherFinished = new CountDownLatch(1);
        final BotGroup otherGroup = new BotGroup(clock, otherFinished, 1);
        final Bot other = new Bot(0, ROOM, 0, new RandomWalk(1, 0), otherGroup);
        final EmbeddedChannel otherChannel = new EmbeddedChannel();

        other.onConnectStarted(otherChannel.newFailedFuture(new ConnectException("refused")));

        assertEquals(1, other.errorCount(BotError.CONNECT_FAILED));
        assertEquals(Bot.State.CLOSED, other.state());
        assertEquals(0, otherFinished.getCount());
        otherChannel.finishAndReleaseAll();
    }

    @Test
    void stopBeforeConnectingFinishesWithoutError()
    {
        final CountDownLatch otherFinished = new CountDownLatch(1);
        final Bot other = new Bot(0, ROOM, 0, new RandomWalk(1, 0), new BotGroup(clock, otherFinished, 1));

        other.stop();

        assertEquals(Bot.State.CLOSED, other.state());
        assertEquals(0, other.errorCount());
        assertEquals(0, otherFinished.getCount());
    }

    private void join()
    {
        channel.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        readBinary();
        receive(control(new Welcome(7L, TICK_RATE_HZ, ENTITY_ID, ROOM, 1000, 1000)));
        assertEquals(Bot.State.JOINED, bot.state());
    }

    private void assertFailed(final BotError kind, final int closeCode)
    {
        assertEquals(1, bot.errorCount(kind));
        assertEquals(1, bot.errorCount());
        final CloseWebSocketFrame close = assertInstanceOf(CloseWebSocketFrame.class, lastOutbound());
        assertEquals(closeCode, close.statusCode());
        close.release();
        assertFalse(channel.isOpen());
        assertEquals(Bot.State.CLOSED, bot.state());
        assertEquals(0, finished.getCount());
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

    private byte[] control(final Object message)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final int length = codec.encode(message, buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static byte[] snapshot(final int snapshotSeq, final int lastInputSeq, final int... entityIds)
    {
        final byte[] bytes = new byte[SnapshotFlyweight.encodedLength(entityIds.length)];
        final SnapshotFlyweight snapshot = new SnapshotFlyweight().wrap(new UnsafeBuffer(bytes), 0, bytes.length);
        snapshot.header(snapshotSeq, snapshotSeq, 0, lastInputSeq, entityIds.length);
        for (int i = 0; i < entityIds.length; i++)
        {
            snapshot.entity(i, entityIds[i], 1, 100, 160, 320);
        }
        return bytes;
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
