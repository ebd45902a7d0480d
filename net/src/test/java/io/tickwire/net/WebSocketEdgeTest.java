package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tickwire.api.GameType;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.sim.ClientLink;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.InputEvent;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.ShardConfig;
import io.tickwire.sim.ShardRouter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The game connection's whole pipeline ({@link ServerInitializer#addHandlers}) on an {@link EmbeddedChannel}, driven
 * with raw bytes as a client sends them: an HTTP upgrade, then hand-made frames. Every case reads back every byte
 * the server wrote and parses the frames, so it sees exactly what a client would: the one close frame with its
 * code, nothing after it, and the counter by reason; every buffer written in and read out is released. The upgrade
 * offers permessage-deflate, which the server must not accept (a frame with RSV1 set is then a violation).
 */
class WebSocketEdgeTest
{
    private static final int OPCODE_CONTINUATION = 0x0;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_BINARY = 0x2;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int OPCODE_PING = 0x9;
    private static final int OPCODE_PONG = 0xA;
    private static final int FIN = 0x80;
    private static final int RSV1 = 0x40;
    private static final int MAX_FRAMES_PER_SECOND = 10;
    private static final byte[] MASK = {0x11, 0x22, 0x33, 0x44};

    private static final GameType GAME = GameType.builder("arena")
        .entitySchema(new EntitySchema(List.of(FieldDef.uint("hp", 255))))
        .inputSchema(new InputSchema(List.of(FieldDef.integer("moveX", -127, 127))))
        .factory(room ->
        {
            throw new UnsupportedOperationException("no rooms in these tests");
        })
        .build();

    private final NetCounters counters = new NetCounters();
    private final InputRing ring = new InputRing(64);
    private final List<ByteBuf> written = new ArrayList<>();
    private final List<WireFrame> received = new ArrayList<>();
    private EmbeddedChannel channel;

    @BeforeEach
    void handshake()
    {
        final Gateway gateway = new Gateway(
            new InputRing[] {ring}, new ShardRouter(1), new GameCatalog(List.of(GAME)), counters,
            List::of, new EventLoopOutbounds());
        final ServerConfig config = new ServerConfig(
            "127.0.0.1", 0, 1, 1, List.of(), 10, 30, 32 * 1024, 64 * 1024, MAX_FRAMES_PER_SECOND,
            ShardConfig.defaults());
        channel = new EmbeddedChannel();
        new ServerInitializer(gateway, config, new ServerMetrics(counters), List::of, () -> "", null, null, null,
            loop -> null)
            .addHandlers(channel.pipeline());

        writeBytes(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" +
            "Sec-WebSocket-Protocol: " + WireFormat.SUBPROTOCOL + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        final ByteBuf response = readAllOutbound();
        final String head = response.toString(StandardCharsets.US_ASCII);
        response.release();
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        assertFalse(head.toLowerCase(Locale.ROOT).contains("sec-websocket-extensions"),
            "permessage-deflate is never negotiated: " + head);
        assertEquals(1, counters.activeSessions());
    }

    @AfterEach
    void released()
    {
        channel.finishAndReleaseAll();
        for (final ByteBuf buf : written)
        {
            assertEquals(0, buf.refCnt(), "every inbound buffer released");
        }
    }

    static Stream<Arguments> decoderViolations()
    {
        return Stream.of(
            Arguments.of("unmasked frame", unmasked(FIN | OPCODE_BINARY, new byte[] {1}), CloseCodes.PROTOCOL_ERROR),
            Arguments.of("reserved bit", frame(FIN | RSV1 | OPCODE_BINARY, new byte[] {1}), CloseCodes.PROTOCOL_ERROR),
            Arguments.of("reserved data opcode", frame(FIN | 0x3, new byte[] {1}), CloseCodes.PROTOCOL_ERROR),
            Arguments.of("reserved control opcode", frame(FIN | 0xB, new byte[] {1}), CloseCodes.PROTOCOL_ERROR),
            Arguments.of("fragmented ping", frame(OPCODE_PING, new byte[] {1}), CloseCodes.PROTOCOL_ERROR),
            Arguments.of("oversized ping", frame(FIN | OPCODE_PING, new byte[126]), CloseCodes.PROTOCOL_ERROR),
            Arguments.of("continuation first", frame(FIN | OPCODE_CONTINUATION, new byte[] {1}),
                CloseCodes.PROTOCOL_ERROR),
            Arguments.of("non-minimal length", nonMinimalLength(), CloseCodes.PROTOCOL_ERROR),
            Arguments.of("frame over 256 bytes",
                frame(FIN | OPCODE_BINARY, new byte[WireFormat.MAX_CLIENT_MESSAGE_LENGTH + 1]),
                CloseCodes.MESSAGE_TOO_BIG),
            Arguments.of("close with a one-byte body", frame(FIN | OPCODE_CLOSE, new byte[] {3}),
                CloseCodes.PROTOCOL_ERROR),
            Arguments.of("close reason not UTF-8", frame(FIN | OPCODE_CLOSE, new byte[] {0x03, (byte)0xE8, (byte)0xFF}),
                1007),
            Arguments.of("close reason with a surrogate", frame(FIN | OPCODE_CLOSE,
                new byte[] {0x03, (byte)0xE8, (byte)0xED, (byte)0xA0, (byte)0x80}), 1007));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decoderViolations")
    void aFrameLevelViolationGetsExactlyOneCloseFrameWithItsCode(
        final String name, final byte[] frame, final int closeCode)
    {
        writeBytes(frame);
        assertOneCloseFrame(closeCode);
        assertEquals(1, counters.invalidMessages(ClientMessageError.BAD_FRAME), name);
        assertEquals(1, counters.invalidMessagesTotal(), name);
    }

    @ParameterizedTest(name = "close code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535})
    void aCloseFrameWithAnInvalidCodeGets1002(final int code)
    {
        writeBytes(frame(FIN | OPCODE_CLOSE, new byte[] {(byte)(code >> 8), (byte)code}));
        assertOneCloseFrame(CloseCodes.PROTOCOL_ERROR);
        assertEquals(1, counters.invalidMessages(ClientMessageError.BAD_FRAME));
    }

    @ParameterizedTest(name = "close code {0}")
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999})
    void aCloseFrameWithAValidCodeIsEchoed(final int code)
    {
        final byte[] reason = "bye \u00e9".getBytes(StandardCharsets.UTF_8);
        final byte[] body = new byte[2 + reason.length];
        body[0] = (byte)(code >> 8);
        body[1] = (byte)code;
        System.arraycopy(reason, 0, body, 2, reason.length);
        writeBytes(frame(FIN | OPCODE_CLOSE, body));
        assertOneCloseFrame(code);
        assertEquals(0, counters.invalidMessagesTotal());
    }

    @Test
    void anEmptyCloseFrameIsEchoedEmpty()
    {
        writeBytes(frame(FIN | OPCODE_CLOSE, new byte[0]));
        readFrames();
        assertEquals(1, received.size(), received.toString());
        assertEquals(OPCODE_CLOSE, received.get(0).opcode);
        assertEquals(0, received.get(0).payload.length);
        assertFalse(channel.isActive());
    }

    @Test
    void aTextFrameGets1003()
    {
        writeBytes(frame(FIN | OPCODE_TEXT, "hello".getBytes(StandardCharsets.UTF_8)));
        assertOneCloseFrame(CloseCodes.UNSUPPORTED_DATA);
        assertEquals(1, counters.invalidMessages(ClientMessageError.TEXT_FRAME));
    }

    @Test
    void aFragmentedMessageGets1002()
    {
        writeBytes(frame(OPCODE_BINARY, new byte[] {WireFormat.TYPE_PING}));
        assertOneCloseFrame(CloseCodes.PROTOCOL_ERROR);
        assertEquals(1, counters.invalidMessages(ClientMessageError.FRAGMENTED));
    }

    @Test
    void pingsAreAnsweredAndChargedToTheBudgetAndAFloodGets1008()
    {
        final int burst = MAX_FRAMES_PER_SECOND * 10;
        final byte[][] pings = new byte[burst][];
        for (int i = 0; i < burst; i++)
        {
            pings[i] = frame(FIN | OPCODE_PING, new byte[] {(byte)i});
        }
        writeBytes(concat(pings));
        readFrames();
        assertEquals(burst, received.size(), "every ping within the budget is answered");
        assertEquals(OPCODE_PONG, received.get(burst - 1).opcode);
        assertArrayEquals(new byte[] {(byte)(burst - 1)}, received.get(burst - 1).payload);
        assertTrue(channel.isActive());
        received.clear();

        writeBytes(concat(pings));
        assertOneCloseFrame(CloseCodes.POLICY_VIOLATION);
        assertTrue(received.size() < burst / 2, "the flood is cut off once the budget is spent: " + received.size());
        assertEquals(1, counters.invalidMessages(ClientMessageError.RATE_LIMITED));
    }

    @Test
    void pongsAreChargedToo()
    {
        final byte[][] pongs = new byte[MAX_FRAMES_PER_SECOND * 10 * 2][];
        Arrays.fill(pongs, frame(FIN | OPCODE_PONG, new byte[0]));
        writeBytes(concat(pongs));
        assertOneCloseFrame(CloseCodes.POLICY_VIOLATION);
        assertEquals(1, counters.invalidMessages(ClientMessageError.RATE_LIMITED));
    }

    @Test
    void aFlooderKeepsNoSeatForAResume()
    {
        writeBytes(frame(FIN | OPCODE_BINARY, join()));
        final byte[][] pongs = new byte[MAX_FRAMES_PER_SECOND * 10 * 2][];
        Arrays.fill(pongs, frame(FIN | OPCODE_PONG, new byte[0]));
        writeBytes(concat(pongs));
        assertOneCloseFrame(CloseCodes.POLICY_VIOLATION);
        final List<ClientLink> links = new ArrayList<>();
        ring.drain(new InputRing.InputHandler()
        {
            protected void onInputEvent(final InputEvent event)
            {
                links.add(event.link());
            }
        });
        assertFalse(((Session)links.get(0)).mayResume(), "a seat is kept only for a connection that broke no rule");
    }

    @Test
    void framesReadAfterTheServersCloseGetNoAnswerAndNoSecondCloseFrame()
    {
        writeBytes(frame(FIN | OPCODE_BINARY, join()));
        writeBytes(concat(
            frame(FIN | OPCODE_BINARY, new byte[] {WireFormat.TYPE_LEAVE, 0, 0, 0, 0}),
            frame(FIN | OPCODE_CLOSE, new byte[] {0x0F, (byte)0xA0}),
            frame(FIN | OPCODE_PING, new byte[] {1}),
            frame(FIN | OPCODE_TEXT, new byte[] {'x'})));
        assertOneCloseFrame(CloseCodes.NORMAL);
        assertEquals(0, counters.invalidMessagesTotal());
    }

    private void assertOneCloseFrame(final int closeCode)
    {
        readFrames();
        final List<WireFrame> closes = new ArrayList<>();
        for (final WireFrame frame : received)
        {
            if (frame.opcode == OPCODE_CLOSE)
            {
                closes.add(frame);
            }
        }
        assertEquals(1, closes.size(), "exactly one close frame: " + received);
        assertEquals(received.get(received.size() - 1), closes.get(0), "nothing after the close frame");
        assertEquals(closeCode, closes.get(0).closeCode());
        assertFalse(channel.isActive());
    }

    private void writeBytes(final byte[] bytes)
    {
        final ByteBuf buf = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        written.add(buf);
        channel.writeInbound(buf);
        channel.runPendingTasks();
    }

    private ByteBuf readAllOutbound()
    {
        final ByteBuf all = Unpooled.buffer();
        Object out;
        while ((out = channel.readOutbound()) != null)
        {
            final ByteBuf buf = (ByteBuf)out;
            all.writeBytes(buf);
            buf.release();
        }
        return all;
    }

    private void readFrames()
    {
        channel.runPendingTasks();
        final ByteBuf bytes = readAllOutbound();
        while (bytes.isReadable())
        {
            final int first = bytes.readUnsignedByte();
            final int second = bytes.readUnsignedByte();
            assertEquals(0, second & 0x80, "server frames are not masked");
            int length = second & 0x7F;
            if (length == 126)
            {
                length = bytes.readUnsignedShort();
            }
            final byte[] payload = new byte[length];
            bytes.readBytes(payload);
            received.add(new WireFrame(first & 0x0F, payload));
        }
        bytes.release();
    }

    private static byte[] frame(final int firstByte, final byte[] payload)
    {
        assertTrue(payload.length < 65536);
        final int extended = payload.length < 126 ? 0 : 2;
        final byte[] bytes = new byte[2 + extended + 4 + payload.length];
        bytes[0] = (byte)firstByte;
        bytes[1] = (byte)(0x80 | (extended == 0 ? payload.length : 126));
        if (extended != 0)
        {
            bytes[2] = (byte)(payload.length >> 8);
            bytes[3] = (byte)payload.length;
        }
        System.arraycopy(MASK, 0, bytes, 2 + extended, 4);
        for (int i = 0; i < payload.length; i++)
        {
            bytes[2 + extended + 4 + i] = (byte)(payload[i] ^ MASK[i & 3]);
        }
        return bytes;
    }

    private static byte[] concat(final byte[]... frames)
    {
        final ByteBuf all = Unpooled.buffer();
        for (final byte[] frame : frames)
        {
            all.writeBytes(frame);
        }
        final byte[] bytes = new byte[all.readableBytes()];
        all.readBytes(bytes).release();
        return bytes;
    }

    private static byte[] unmasked(final int firstByte, final byte[] payload)
    {
        final byte[] bytes = new byte[2 + payload.length];
        bytes[0] = (byte)firstByte;
        bytes[1] = (byte)payload.length;
        System.arraycopy(payload, 0, bytes, 2, payload.length);
        return bytes;
    }

    /**
     * A 5-byte binary frame whose length is written in the 16-bit form, which RFC 6455 reserves for 126 and more.
     */
    private static byte[] nonMinimalLength()
    {
        final byte[] minimal = frame(FIN | OPCODE_BINARY, new byte[5]);
        final byte[] bytes = new byte[minimal.length + 2];
        bytes[0] = minimal[0];
        bytes[1] = (byte)(0x80 | 126);
        bytes[3] = 5;
        System.arraycopy(minimal, 2, bytes, 4, minimal.length - 2);
        return bytes;
    }

    private static byte[] join()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length = new ControlCodec().encode(JoinRequest.named("arena", "room", "player"), buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static final class WireFrame
    {
        final int opcode;
        final byte[] payload;

        WireFrame(final int opcode, final byte[] payload)
        {
            this.opcode = opcode;
            this.payload = payload;
        }

        int closeCode()
        {
            return payload.length < 2 ? -1 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        public String toString()
        {
            return "opcode " + opcode + " " + Arrays.toString(payload);
        }
    }
}
