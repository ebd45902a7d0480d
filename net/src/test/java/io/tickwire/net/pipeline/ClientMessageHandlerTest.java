package io.tickwire.net.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.tickwire.api.GameType;
import io.tickwire.api.JoinOption;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.InputCodec;
import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.PongFlyweight;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.ResumeToken;
import io.tickwire.net.DrainEvent;
import io.tickwire.net.EventLoopOutbounds;
import io.tickwire.net.Gateway;
import io.tickwire.net.NetCounters;
import io.tickwire.net.Session;
import io.tickwire.sim.ClientLink;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.InputEvent;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.RoomInfo;
import io.tickwire.sim.ShardRouter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client message handler in an {@link EmbeddedChannel}: what it publishes to the ring, and for every hostile
 * case the one close frame with its code, the counter by reason, and the released buffers.
 */
class ClientMessageHandlerTest
{
    static final InputSchema INPUTS = new InputSchema(List.of(
        FieldDef.integer("moveX", -127, 127), FieldDef.integer("moveY", -127, 127), FieldDef.uint("buttons", 255)));
    static final MessageType CHAT = MessageType.fromClients(1, "chat", 2, 2, FieldDef.text("text", 8));
    private static final MessageType NEWS = MessageType.toClients(2, "news", FieldDef.uint("n", 9));
    static final GameType GAME = GameType.builder("arena")
        .entitySchema(new EntitySchema(List.of(FieldDef.uint("hp", 255))))
        .inputSchema(INPUTS)
        .message(CHAT)
        .message(NEWS)
        .joinOption(JoinOption.integer("level", 1, 3, 1))
        .factory(room ->
        {
            throw new UnsupportedOperationException("no rooms in these tests");
        })
        .build();

    private final NetCounters counters = new NetCounters();
    private final InputRing ring = new InputRing(4);
    private final Gateway gateway = gateway(ring, counters);
    private final ControlCodec controlCodec = new ControlCodec();
    private final MessageEncoder messageEncoder = new MessageEncoder();
    private final List<ByteBuf> sent = new ArrayList<>();
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp()
    {
        channel = new EmbeddedChannel(new ReadDriver(), new ClientMessageHandler(gateway));
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
        assertEquals(0, counters.invalidMessagesTotal());
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

        final EmbeddedChannel other = new EmbeddedChannel(new ClientMessageHandler(gateway));
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
        assertFalse(ReadDriver.isReading(channel), "reading stops while the outbound buffer is over its mark");

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
        assertTrue(ReadDriver.isReading(channel), "reading resumes once drained");
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
    void sendingFasterThanTheFrameBudgetClosesWith1008()
    {
        final InputRing bigRing = new InputRing(64);
        final Gateway roomy = gateway(bigRing, counters);
        final EmbeddedChannel limited =
            new EmbeddedChannel(new FrameGuard(counters, 1), new ClientMessageHandler(roomy));
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
    void aCloseFrameTheFrameGuardWroteStopsTheSession()
    {
        channel.writeInbound(frame(join("arena")));
        final List<ClientLink> links = new ArrayList<>();
        ring.drain(new InputRing.InputHandler()
        {
            protected void onInputEvent(final InputEvent event)
            {
                links.add(event.link());
            }
        });
        assertTrue(links.get(0).isOpen());
        channel.pipeline().fireUserEventTriggered(FrameGuard.CLOSE_FRAME_WRITTEN);
        assertFalse(links.get(0).isOpen(), "the shard stops sending at once");
        assertTrue(channel.isActive());
    }

    @Test
    void aViolationTheFrameGuardFoundKeepsNoSeat()
    {
        channel.writeInbound(frame(join("arena")));
        final List<ClientLink> links = new ArrayList<>();
        ring.drain(new InputRing.InputHandler()
        {
            protected void onInputEvent(final InputEvent event)
            {
                links.add(event.link());
            }
        });
        final Session session = (Session)links.get(0);
        assertTrue(session.mayResume());
        channel.pipeline().fireUserEventTriggered(FrameGuard.CLOSE_FRAME_WRITTEN);
        assertTrue(session.mayResume(), "a close frame alone (a kick, a drain) keeps the seat rules as they are");
        channel.pipeline().fireUserEventTriggered(FrameGuard.VIOLATION);
        assertFalse(session.mayResume(), "a flooder or a bad frame keeps no seat for a resume");
    }

    @Test
    void closingAJoinedConnectionPublishesClosed()
    {
        channel.writeInbound(frame(join("arena")));
        assertEquals(1, counters.activeSessions());
        channel.close();
        assertEquals(List.of("JOIN arena", "CLOSED " + LeaveReason.DISCONNECTED), drain());
        assertEquals(0, counters.activeSessions());
    }

    @Test
    void messagesAcksAndPingAcksArePublishedInOrder()
    {
        channel.writeInbound(frame(join("arena")));
        channel.writeInbound(frame(chat(1, "hi")));
        channel.writeInbound(frame(ack(7, 3)));
        channel.writeInbound(frame(ping(9)));
        final ByteBuf pong = channel.readOutbound();
        pong.release();
        assertEquals(List.of("JOIN arena", "MESSAGE 1", "ACK 7 3", "SNAPSHOT_ACK 9"), drain());
        assertTrue(channel.isActive());
    }

    @Test
    void everyModeWithTheRoomNameItAllowsIsPublished()
    {
        channel.writeInbound(frame(join(new JoinRequest("arena", JoinRequest.MODE_CREATE, "mine", "p", Map.of()))));
        final EmbeddedChannel unnamed = handshaken(new ClientMessageHandler(gateway));
        unnamed.writeInbound(frame(join(new JoinRequest("arena", JoinRequest.MODE_CREATE, "", "p", Map.of()))));
        final EmbeddedChannel any = handshaken(new ClientMessageHandler(gateway));
        any.writeInbound(frame(join(JoinRequest.any("arena", "p"))));
        assertEquals(List.of("JOIN mine", "JOIN ", "JOIN "), drain());
        assertTrue(channel.isActive() && unnamed.isActive() && any.isActive());
        assertEquals(0, counters.invalidMessagesTotal());
        unnamed.finishAndReleaseAll();
        any.finishAndReleaseAll();
    }

    @Test
    void anyRoomJoinsGoToAShardThatPublishedAnOpenRoomOfTheType()
    {
        final List<RoomInfo> published = List.of(
            new RoomInfo("full", "arena", 3, 3, 0, 1, 0, false, false, Map.of()),
            new RoomInfo("hidden", "arena", 0, 3, 1, 1, 0, false, true, Map.of()),
            new RoomInfo("other", "tag", 0, 3, 2, 1, 0, false, false, Map.of()),
            new RoomInfo("open", "arena", 1, 3, 3, 1, 0, false, false, Map.of()));
        final Gateway fourShards = new Gateway(
            new InputRing[] {ring, ring, ring, ring}, new ShardRouter(4), new GameCatalog(List.of(GAME)), counters,
            () -> published, new EventLoopOutbounds());
        assertEquals(3, fourShards.shardForAnyRoom(GAME));
        final Gateway none = new Gateway(
            new InputRing[] {ring, ring}, new ShardRouter(2), new GameCatalog(List.of(GAME)), counters, List::of,
            new EventLoopOutbounds());
        assertEquals(List.of(0, 1, 0), List.of(none.shardForAnyRoom(GAME), none.shardForAnyRoom(GAME),
            none.shardForAnyRoom(GAME)), "in turn when none is open");
    }

    @Test
    void unknownRoomTypeClosesWith1002()
    {
        channel.writeInbound(frame(join(JoinRequest.named("chess", "r", "p"))));
        assertViolation(ClientMessageError.UNKNOWN_ROOM_TYPE, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void undeclaredOrBadJoinOptionsCloseWith1002()
    {
        channel.writeInbound(frame(join(new JoinRequest("arena", JoinRequest.MODE_ANY, "", "p", Map.of("lvl", "2")))));
        assertViolation(ClientMessageError.BAD_JOIN_OPTIONS, CloseCodes.PROTOCOL_ERROR);

        final EmbeddedChannel other = handshaken(new ClientMessageHandler(gateway));
        other.writeInbound(frame(join(new JoinRequest("arena", JoinRequest.MODE_ANY, "", "p", Map.of("level", "9")))));
        assertClosedWith(other, CloseCodes.PROTOCOL_ERROR);
        assertEquals(2, counters.invalidMessages(ClientMessageError.BAD_JOIN_OPTIONS));
        other.finishAndReleaseAll();
    }

    @Test
    void moreJoinOptionsThanTheLimitCloseWith1002()
    {
        final byte[] base = join(JoinRequest.any("arena", "p"));
        final byte[] bytes = Arrays.copyOf(base, base.length + 9 * 4);
        bytes[base.length - 1] = 9;
        for (int i = 0; i < 9; i++)
        {
            final int at = base.length + 4 * i;
            bytes[at] = 1;
            bytes[at + 1] = (byte)('a' + i);
            bytes[at + 2] = 1;
            bytes[at + 3] = '1';
        }
        channel.writeInbound(frame(bytes));
        assertViolation(ClientMessageError.BAD_BODY, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void anOversizedJoinOptionValueClosesWith1002()
    {
        final byte[] base = join(JoinRequest.any("arena", "p"));
        final byte[] bytes = Arrays.copyOf(base, base.length + 7 + 65);
        bytes[base.length - 1] = 1;
        int at = base.length;
        bytes[at++] = 5;
        for (final char c : "level".toCharArray())
        {
            bytes[at++] = (byte)c;
        }
        bytes[at++] = 65;
        Arrays.fill(bytes, at, at + 65, (byte)'7');
        channel.writeInbound(frame(bytes));
        assertViolation(ClientMessageError.BAD_BODY, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void aNameThatDoesNotFitTheModeClosesWith1002()
    {
        final byte[] bytes = join(JoinRequest.named("arena", "named", "p"));
        final int modeOffset = WireFormat.CLIENT_HEADER_LENGTH + 1 + "arena".length();
        assertEquals(JoinRequest.MODE_NAMED, bytes[modeOffset]);
        bytes[modeOffset] = JoinRequest.MODE_ANY;
        channel.writeInbound(frame(bytes));
        assertViolation(ClientMessageError.BAD_BODY, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void anInputValueOutOfItsRangeClosesWith1002()
    {
        channel.writeInbound(frame(join("arena")));
        final byte[] bytes = input(1, 0);
        bytes[ClientMessageFlyweight.INPUT_VALUES_OFFSET] = (byte)0xFF;
        bytes[ClientMessageFlyweight.INPUT_VALUES_OFFSET + 1] = 0x01;
        channel.writeInbound(frame(bytes));
        assertViolation(ClientMessageError.BAD_INPUT, CloseCodes.PROTOCOL_ERROR);
        assertEquals(List.of("JOIN arena", "CLOSED " + LeaveReason.DISCONNECTED), drain(), "nothing reached the ring");
    }

    @Test
    void anInputWithTrailingBytesClosesWith1002()
    {
        channel.writeInbound(frame(join("arena")));
        final byte[] bytes = Arrays.copyOf(input(1, 0), input(1, 0).length + 1);
        channel.writeInbound(frame(bytes));
        assertViolation(ClientMessageError.BAD_INPUT, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void anUnknownOrRoomOnlyMessageTypeClosesWith1002()
    {
        channel.writeInbound(frame(join("arena")));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final byte[] news = copy(buffer, messageEncoder.begin(NEWS).putInt(0, 3).encodeClientMessage(buffer, 0, 0, 1));
        channel.writeInbound(frame(news));
        assertViolation(ClientMessageError.UNKNOWN_MESSAGE_TYPE, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void anOversizedStringClosesWith1002()
    {
        channel.writeInbound(frame(join("arena")));
        final byte[] bytes = chat(1, "12345678");
        final byte[] longer = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, longer, 0, bytes.length);
        longer[ClientMessageFlyweight.MESSAGE_TYPE_OFFSET + 1] = 9;
        longer[longer.length - 1] = '9';
        channel.writeInbound(frame(longer));
        assertViolation(ClientMessageError.BAD_MESSAGE, CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void aMessageOutOfSequenceClosesWith1002()
    {
        channel.writeInbound(frame(join("arena")));
        channel.writeInbound(frame(chat(1, "a")));
        channel.writeInbound(frame(chat(3, "b")));
        assertViolation(ClientMessageError.BAD_MESSAGE_SEQUENCE, CloseCodes.PROTOCOL_ERROR);
        assertEquals(List.of("JOIN arena", "MESSAGE 1", "CLOSED " + LeaveReason.DISCONNECTED), drain());
    }

    @Test
    void aResumedConnectionGoesOnWithItsMessageSequenceAndLosesItsSeatOnAViolation()
    {
        channel.writeInbound(frame(join(JoinRequest.resume("arena", "demo", new ResumeToken(1, 2), 7))));
        channel.writeInbound(frame(chat(5, "a")));
        channel.writeInbound(frame(chat(6, "b")));
        assertTrue(channel.isActive());
        channel.writeInbound(frame(chat(8, "c")));
        assertViolation(ClientMessageError.BAD_MESSAGE_SEQUENCE, CloseCodes.PROTOCOL_ERROR);
        final List<Boolean> mayResume = new ArrayList<>();
        final List<Integer> messageAcks = new ArrayList<>();
        ring.drain(new InputRing.InputHandler()
        {
            protected void onInputEvent(final InputEvent event)
            {
                if (event.type() == InputEvent.JOIN)
                {
                    messageAcks.add(event.join().messageAck());
                    assertEquals(new ResumeToken(1, 2), event.join().resumeToken());
                }
                mayResume.add(event.link().mayResume());
            }
        });
        assertEquals(List.of(7), messageAcks);
        assertEquals(List.of(false, false, false, false), mayResume, "a violator keeps no seat");
    }

    @Test
    void aResumeGoesToTheShardOfItsRoom()
    {
        final InputRing[] rings = {new InputRing(4), new InputRing(4), new InputRing(4), new InputRing(4)};
        final ShardRouter router = new ShardRouter(4);
        final Gateway fourShards = new Gateway(rings, router, new GameCatalog(List.of(GAME)), counters, List::of,
            new EventLoopOutbounds());
        final EmbeddedChannel resumed = handshaken(new ClientMessageHandler(fourShards));
        resumed.writeInbound(frame(join(JoinRequest.resume("arena", "demo", new ResumeToken(1, 2), 0))));
        for (int shard = 0; shard < 4; shard++)
        {
            assertEquals(shard == router.shardOf("demo") ? 1 : 0, rings[shard].occupancy(), "shard " + shard);
        }
        resumed.finishAndReleaseAll();
    }

    @Test
    void aMessageFloodOverItsTypesRateClosesWith1008()
    {
        final InputRing bigRing = new InputRing(64);
        final EmbeddedChannel flooder = handshaken(new ClientMessageHandler(gateway(bigRing, counters)));
        flooder.writeInbound(frame(join("arena")));
        flooder.writeInbound(frame(chat(1, "a")));
        flooder.writeInbound(frame(chat(2, "b")));
        assertTrue(flooder.isActive(), "a burst of two is allowed");
        flooder.writeInbound(frame(chat(3, "c")));
        assertClosedWith(flooder, CloseCodes.POLICY_VIOLATION);
        assertEquals(1, counters.invalidMessages(ClientMessageError.MESSAGE_RATE_LIMITED));
        flooder.finishAndReleaseAll();
    }

    @Test
    void messagesAcksBeforeJoinCloseWith1002()
    {
        channel.writeInbound(frame(chat(1, "a")));
        assertViolation(ClientMessageError.UNEXPECTED, CloseCodes.PROTOCOL_ERROR);
        final EmbeddedChannel other = handshaken(new ClientMessageHandler(gateway));
        other.writeInbound(frame(ack(0, 0)));
        assertClosedWith(other, CloseCodes.PROTOCOL_ERROR);
        assertEquals(2, counters.invalidMessages(ClientMessageError.UNEXPECTED));
        other.finishAndReleaseAll();
    }

    @Test
    void aMessageTheFullRingRefusesClosesWith1013SoNoneGoesMissing()
    {
        channel.writeInbound(frame(join("arena")));
        for (int seq = 1; seq <= 3; seq++)
        {
            channel.writeInbound(frame(input(seq, 0)));
        }
        channel.writeInbound(frame(chat(1, "lost?")));
        final Notice notice = assertInstanceOf(Notice.class, decodeControl(channel.readOutbound()));
        assertEquals(Notice.CODE_SERVER_BUSY, notice.code());
        assertEquals(1, notice.detail(), "the refused message's sequence");
        assertClosedWith(CloseCodes.TRY_AGAIN_LATER);
        assertEquals(1, counters.messagesRefusedBusy.get());
    }

    @Test
    void anIdleConnectionIsClosedWith1001AndLeavesAsIdle()
    {
        channel.writeInbound(frame(join("arena")));
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertClosedWith(CloseCodes.GOING_AWAY);
        assertEquals(List.of("JOIN arena", "CLOSED " + LeaveReason.IDLE), drain());
    }

    @Test
    void aJoinWhileDrainingGetsNotice12AndClose1001AndNeverReachesTheRing()
    {
        gateway.startDraining(2500);
        channel.writeInbound(frame(join("arena")));

        final Notice notice = assertInstanceOf(Notice.class, decodeControl(channel.readOutbound()));
        assertEquals(Notice.CODE_SERVER_DRAINING, notice.code());
        assertEquals(2500, notice.detail(), "the reconnect delay in ms");
        assertClosedWith(CloseCodes.GOING_AWAY);
        assertNull(channel.readOutbound(), "exactly one close frame");
        assertEquals(List.of(), drain());
        assertEquals(0, counters.invalidMessagesTotal());
    }

    @Test
    void theDrainSweepClosesAJoinedSessionWithNotice12AndANeverJoinedOneWith1001Only()
    {
        gateway.startDraining(700);
        final EmbeddedChannel neverJoined = handshaken(new ClientMessageHandler(gateway));
        channel.writeInbound(frame(join("arena")));
        drain();

        channel.pipeline().fireUserEventTriggered(DrainEvent.SWEEP);
        neverJoined.pipeline().fireUserEventTriggered(DrainEvent.SWEEP);

        final Notice notice = assertInstanceOf(Notice.class, decodeControl(channel.readOutbound()));
        assertEquals(Notice.CODE_SERVER_DRAINING, notice.code());
        assertEquals(700, notice.detail());
        assertClosedWith(CloseCodes.GOING_AWAY);
        assertNull(channel.readOutbound(), "exactly one close frame");
        assertClosedWith(neverJoined, CloseCodes.GOING_AWAY);
        assertNull(neverJoined.readOutbound(), "no notice for a connection that never joined");
        neverJoined.finishAndReleaseAll();
    }

    @Test
    void theDrainSweepClosesAConnectionThatIsNotAWebSocketSession()
    {
        final EmbeddedChannel http = new EmbeddedChannel(new ClientMessageHandler(gateway));
        http.pipeline().fireUserEventTriggered(DrainEvent.SWEEP);
        assertFalse(http.isActive());
        assertNull(http.readOutbound());
        http.finishAndReleaseAll();
    }

    @Test
    void pastTheNotReadingDeadlineAConnectionIsClosedOnceWith4006AndLeaves()
    {
        channel.writeInbound(frame(join("arena")));
        channel.pipeline().fireUserEventTriggered(NotReadingGuard.NOT_READING);
        assertClosedWith(CloseCodes.NOT_READING);
        assertNull(channel.readOutbound(), "exactly one close frame");
        assertEquals(1, counters.notReadingCloses.get());
        assertEquals(List.of("JOIN arena", "CLOSED " + LeaveReason.DISCONNECTED), drain());
    }

    @Test
    void aJoinToAFailedShardIsRefusedWithNotice9AndClosedWith1011()
    {
        gateway.onShardFailed(0);
        channel.writeInbound(frame(join("arena")));
        final Notice notice = assertInstanceOf(Notice.class, decodeControl(channel.readOutbound()));
        assertEquals(Notice.CODE_SERVER_ERROR, notice.code());
        assertClosedWith(CloseCodes.INTERNAL_ERROR);
        assertNull(channel.readOutbound(), "exactly one close frame");
        assertEquals(List.of(), drain(), "nothing reaches the failed shard's ring");
        assertEquals(1, counters.shardFailureCloses.get());
    }

    @Test
    void aJoinedConnectionIsClosedWith1011WhenItsShardFails()
    {
        channel.writeInbound(frame(join("arena")));
        gateway.onShardFailed(0);
        channel.runPendingTasks();
        assertClosedWith(CloseCodes.INTERNAL_ERROR);
        assertNull(channel.readOutbound(), "exactly one close frame");
        assertEquals(1, counters.shardFailureCloses.get());
    }

    private void assertViolation(final ClientMessageError error, final int statusCode)
    {
        assertClosedWith(statusCode);
        assertEquals(1, counters.invalidMessages(error), error.name());
        assertNull(channel.readOutbound(), "exactly one close frame");
    }

    static EmbeddedChannel handshaken(final ClientMessageHandler handler)
    {
        final EmbeddedChannel embedded = new EmbeddedChannel(handler);
        embedded.pipeline().fireUserEventTriggered(new WebSocketServerProtocolHandler.HandshakeComplete(
            "/ws", new DefaultHttpHeaders(), WireFormat.SUBPROTOCOL));
        return embedded;
    }

    private static void assertClosedWith(final EmbeddedChannel embedded, final int statusCode)
    {
        final CloseWebSocketFrame close = embedded.readOutbound();
        assertEquals(statusCode, close.statusCode());
        close.release();
        assertFalse(embedded.isActive());
    }

    private static byte[] ack(final int snapshotAck, final int messageAck)
    {
        final byte[] bytes = new byte[ClientMessageFlyweight.ACK_LENGTH];
        new ClientMessageFlyweight().wrap(new UnsafeBuffer(bytes), 0, bytes.length)
            .type(WireFormat.TYPE_ACK).ack(snapshotAck).messageAck(messageAck);
        return bytes;
    }

    private static byte[] ping(final int snapshotAck)
    {
        final byte[] bytes = new byte[ClientMessageFlyweight.PING_LENGTH];
        new ClientMessageFlyweight().wrap(new UnsafeBuffer(bytes), 0, bytes.length)
            .type(WireFormat.TYPE_PING).ack(snapshotAck).pingTimestamp(1);
        return bytes;
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

    static Gateway gateway(final InputRing inputRing, final NetCounters counters)
    {
        return new Gateway(
            new InputRing[] {inputRing}, new ShardRouter(1), new GameCatalog(List.of(GAME)), counters, List::of,
            new EventLoopOutbounds());
    }

    private byte[] join(final String room)
    {
        return join(JoinRequest.named("arena", room, "player"));
    }

    private byte[] join(final JoinRequest request)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        return copy(buffer, controlCodec.encode(request, buffer, 0));
    }

    private static byte[] input(final int seq, final int moveX)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        return copy(buffer, new InputCodec(INPUTS).encode(buffer, 0, 0, seq, 0, new int[] {moveX, 0, 0}));
    }

    private byte[] chat(final int seq, final String text)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        return copy(buffer, messageEncoder.begin(CHAT).putText(0, text).encodeClientMessage(buffer, 0, 0, seq));
    }

    private static byte[] copy(final UnsafeBuffer buffer, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
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
                        events.add("INPUT " + event.inputSeq() + " " + event.values()[0]);
                        break;
                    case InputEvent.MESSAGE:
                        events.add("MESSAGE " + event.messageSeq());
                        break;
                    case InputEvent.ACK:
                        events.add("ACK " + event.ack() + " " + event.messageAck());
                        break;
                    case InputEvent.SNAPSHOT_ACK:
                        events.add("SNAPSHOT_ACK " + event.ack());
                        break;
                    case InputEvent.LEAVE:
                        events.add("LEAVE");
                        break;
                    default:
                        events.add("CLOSED " + event.closeReason());
                        break;
                }
            }
        });
        return events;
    }
}
