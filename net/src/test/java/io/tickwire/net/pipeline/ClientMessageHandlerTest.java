package io.tickwire.net.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.PongFlyweight;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.net.Gateway;
import io.tickwire.net.NetCounters;
import io.tickwire.sim.InputEvent;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.ShardRouter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientMessageHandlerTest
{
    private final NetCounters counters = new NetCounters();
    private final InputRing ring = new InputRing(4);
    private final Gateway gateway = new Gateway(new InputRing[] {ring}, new ShardRouter(1), counters);
    private final ControlCodec controlCodec = new ControlCodec();
    private final List<ByteBuf> sent = new ArrayList<>();
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp()
    {
        channel = new EmbeddedChannel(new ClientMessageHandler(gateway, 100));
        channel.pipeline().fireUserEventTriggered(new WebSocketServerProtocolHandler.HandshakeComplete(
            "/ws", new DefaultHttpHeaders(), WireFormat.SUBPROTOCOL));
    }

    @AfterEach
    void tearDown()
    {
        channel.finishAndReleaseAll();
        for (final ByteBuf buf : sent)
        {
            assertEquals(0, buf.refCnt(), "every inbound buffer released");
        }
    }

    @Test
    void joinThenInputsArePublishedToTheRing()
    {
        channel.writeInbound(frame(join("arena")));
        channel.writeInbound(frame(input(1, 5)));
        channel.writeInbound(frame(input(2, 6)));

        final List<String> events = drain();
        assertEquals(List.of("JOIN arena", "INPUT 1 5", "INPUT 2 6"), events);
        assertTrue(channel.isActive());
        assertNull(channel.readOutbound());
    }

    @Test
    void textFrameClosesWith1003()
    {
        final TextWebSocketFrame text = new TextWebSocketFrame("hello");
        sent.add(text.content());
        channel.writeInbound(text);
        assertClosedWith(CloseCodes.UNSUPPORTED_DATA);
        assertEquals(1, counters.invalidMessages(ClientMessageError.TEXT_FRAME));
    }

    @Test
    void unknownTypeClosesWith1002AndCounts()
    {
        channel.writeInbound(frame(new byte[] {0x7F, 0, 0, 0, 0}));
        assertClosedWith(CloseCodes.PROTOCOL_ERROR);
        assertEquals(1, counters.invalidMessages(ClientMessageError.UNKNOWN_TYPE));
    }

    @Test
    void inputBeforeJoinClosesWith1002()
    {
        channel.writeInbound(frame(input(1, 0)));
        assertClosedWith(CloseCodes.PROTOCOL_ERROR);
        assertEquals(1, counters.invalidMessages(ClientMessageError.UNEXPECTED));
        assertTrue(drain().isEmpty());
    }

    @Test
    void malformedJoinBodyClosesWith1002()
    {
        channel.writeInbound(frame(new byte[] {WireFormat.TYPE_JOIN, 0, 0, 0, 0, 30, 'a'}));
        assertClosedWith(CloseCodes.PROTOCOL_ERROR);
        assertEquals(1, counters.invalidMessages(ClientMessageError.BAD_BODY));
    }

    @Test
    void secondJoinClosesWith1002()
    {
        channel.writeInbound(frame(join("arena")));
        channel.writeInbound(frame(join("other")));
        assertClosedWith(CloseCodes.PROTOCOL_ERROR);
        assertEquals(1, counters.invalidMessages(ClientMessageError.UNEXPECTED));
    }

    @Test
    void fragmentedMessageClosesWith1002()
    {
        final ByteBuf first = Unpooled.wrappedBuffer(input(1, 0), 0, 4);
        sent.add(first);
        channel.writeInbound(new BinaryWebSocketFrame(false, 0, first));
        assertClosedWith(CloseCodes.PROTOCOL_ERROR);
        assertEquals(1, counters.invalidMessages(ClientMessageError.FRAGMENTED));
    }

    @Test
    void fullRingRefusesInputsWithANoticeAndJoinsWithAClose()
    {
        channel.writeInbound(frame(join("arena")));
        for (int seq = 1; seq <= 3; seq++)
        {
            channel.writeInbound(frame(input(seq, 0)));
        }
        channel.writeInbound(frame(input(4, 0)));

        final Notice notice = assertInstanceOf(Notice.class, decodeControl(channel.readOutbound()));
        assertEquals(Notice.CODE_INPUT_REFUSED, notice.code());
        assertEquals(4, notice.detail());
        assertEquals(1, counters.inputsRefusedBusy.get());
        assertTrue(channel.isActive());

        final EmbeddedChannel other = new EmbeddedChannel(new ClientMessageHandler(gateway, 100));
        other.pipeline().fireUserEventTriggered(new WebSocketServerProtocolHandler.HandshakeComplete(
            "/ws", new DefaultHttpHeaders(), WireFormat.SUBPROTOCOL));
        other.writeInbound(frame(join("arena")));
        assertEquals(Notice.CODE_SERVER_BUSY, ((Notice)decodeControl(other.readOutbound())).code());
        final CloseWebSocketFrame close = other.readOutbound();
        assertEquals(CloseCodes.TRY_AGAIN_LATER, close.statusCode());
        close.release();
        assertFalse(other.isActive());
        assertEquals(1, counters.joinsRefusedBusy.get());
        other.finishAndReleaseAll();
    }

    @Test
    void pingIsAnsweredAtOnceWithItsTimestampWithoutTouchingTheRing()
    {
        final byte[] ping = new byte[ClientMessageFlyweight.PING_LENGTH];
        new ClientMessageFlyweight().wrap(new UnsafeBuffer(ping), 0, ping.length)
            .type(WireFormat.TYPE_PING).ack(0).pingTimestamp(0x0102030405060708L);
        channel.writeInbound(frame(ping));

        final ByteBuf pong = channel.readOutbound();
        assertEquals(0x82, pong.readUnsignedByte());
        assertEquals(PongFlyweight.LENGTH, pong.readUnsignedByte());
        final byte[] bytes = new byte[PongFlyweight.LENGTH];
        pong.readBytes(bytes);
        pong.release();
        assertEquals(WireFormat.TYPE_PONG, bytes[0]);
        assertEquals(0x0102030405060708L, new PongFlyweight().wrap(new UnsafeBuffer(bytes), 0).timestamp());
        assertTrue(drain().isEmpty());
        assertTrue(channel.isActive());
    }

    @Test
    void aClientThatDoesNotReadIsNotReadFromAndGetsNoPongsUntilItDrains()
    {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.write(Unpooled.wrappedBuffer(new byte[64]));
        assertFalse(channel.isWritable());
        assertFalse(channel.config().isAutoRead(), "reading stops while the outbound buffer is over its mark");

        final byte[] ping = new byte[ClientMessageFlyweight.PING_LENGTH];
        new ClientMessageFlyweight().wrap(new UnsafeBuffer(ping), 0, ping.length)
            .type(WireFormat.TYPE_PING).ack(0).pingTimestamp(7);
        channel.writeInbound(frame(ping));
        channel.flush();
        final ByteBuf pending = channel.readOutbound();
        assertEquals(64, pending.readableBytes(), "only what was queued before: no pong");
        pending.release();
        assertNull(channel.readOutbound());

        assertTrue(channel.isWritable());
        assertTrue(channel.config().isAutoRead(), "reading resumes once drained");
    }

    @Test
    void leaveIsPublishedAndClosesNormally()
    {
        channel.writeInbound(frame(join("arena")));
        channel.writeInbound(frame(new byte[] {WireFormat.TYPE_LEAVE, 0, 0, 0, 0}));
        assertClosedWith(CloseCodes.NORMAL);
        assertEquals(List.of("JOIN arena", "LEAVE"), drain());
    }

    @Test
    void sendingFasterThanTheRateLimitClosesWith1008()
    {
        final InputRing bigRing = new InputRing(64);
        final Gateway roomy = new Gateway(new InputRing[] {bigRing}, new ShardRouter(1), counters);
        final EmbeddedChannel limited = new EmbeddedChannel(new ClientMessageHandler(roomy, 1));
        limited.pipeline().fireUserEventTriggered(new WebSocketServerProtocolHandler.HandshakeComplete(
            "/ws", new DefaultHttpHeaders(), WireFormat.SUBPROTOCOL));
        limited.writeInbound(frame(join("arena")));
        for (int seq = 1; seq <= 9; seq++)
        {
            limited.writeInbound(frame(input(seq, 0)));
        }
        assertTrue(limited.isActive(), "ten seconds of burst at one message per second");
        limited.writeInbound(frame(input(10, 0)));
        final CloseWebSocketFrame close = limited.readOutbound();
        assertEquals(CloseCodes.POLICY_VIOLATION, close.statusCode());
        close.release();
        assertFalse(limited.isActive());
        assertEquals(1, counters.invalidMessages(ClientMessageError.RATE_LIMITED));
        final List<String> events = new ArrayList<>();
        bigRing.drain(new InputRing.InputHandler()
        {
            protected void onInputEvent(final InputEvent event)
            {
                events.add(event.type() == InputEvent.INPUT ? "INPUT " + event.inputSeq() : "TYPE " + event.type());
            }
        });
        assertEquals(11, events.size());
        assertEquals("INPUT 9", events.get(9));
        assertEquals("TYPE " + InputEvent.CLOSED, events.get(10));
        limited.finishAndReleaseAll();
    }

    @Test
    void framesNettyRefusesAreCounted()
    {
        channel.pipeline().fireExceptionCaught(new CorruptedWebSocketFrameException());
        assertEquals(1, counters.invalidMessages(ClientMessageError.BAD_FRAME));
        assertFalse(channel.isActive());
    }

    @Test
    void closingAJoinedConnectionPublishesClosed()
    {
        channel.writeInbound(frame(join("arena")));
        assertEquals(1, counters.activeSessions());
        channel.close();
        assertEquals(List.of("JOIN arena", "CLOSED"), drain());
        assertEquals(0, counters.activeSessions());
    }

    private void assertClosedWith(final int statusCode)
    {
        final CloseWebSocketFrame close = channel.readOutbound();
        assertEquals(statusCode, close.statusCode());
        close.release();
        assertFalse(channel.isActive());
    }

    /**
     * Decodes a control message written as a pre-framed WebSocket binary frame (short payload: 2-byte header).
     */
    private Object decodeControl(final ByteBuf frame)
    {
        assertEquals(0x82, frame.readUnsignedByte());
        final int length = frame.readUnsignedByte();
        assertEquals(length, frame.readableBytes());
        final byte[] bytes = new byte[length];
        frame.readBytes(bytes);
        frame.release();
        return controlCodec.decode(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private BinaryWebSocketFrame frame(final byte[] bytes)
    {
        final ByteBuf content = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        sent.add(content);
        return new BinaryWebSocketFrame(content);
    }

    private byte[] join(final String room)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final int length = controlCodec.encode(new JoinRequest(room, "player"), buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static byte[] input(final int seq, final int moveX)
    {
        final byte[] bytes = new byte[ClientMessageFlyweight.INPUT_LENGTH];
        new ClientMessageFlyweight().wrap(new UnsafeBuffer(bytes), 0, bytes.length)
            .type(WireFormat.TYPE_INPUT).ack(0).inputSeq(seq).moveX(moveX).moveY(0).buttons(0);
        return bytes;
    }

    private List<String> drain()
    {
        final List<String> events = new ArrayList<>();
        ring.drain(new InputRing.InputHandler()
        {
            protected void onInputEvent(final InputEvent event)
            {
                switch (event.type())
                {
                    case InputEvent.JOIN:
                        events.add("JOIN " + event.join().room());
                        break;
                    case InputEvent.INPUT:
                        events.add("INPUT " + event.inputSeq() + " " + event.moveX());
                        break;
                    case InputEvent.LEAVE:
                        events.add("LEAVE");
                        break;
                    default:
                        events.add("CLOSED");
                        break;
                }
            }
        });
        return events;
    }
}
