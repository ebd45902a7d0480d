package io.tickwire.bots;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.tickwire.codec.CloseCodes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bot's frame reader in an {@link EmbeddedChannel}, fed the bytes a server sends: whole binary messages reach the
 * listener exactly, in order, however the bytes are split across reads; fragmented messages are reassembled; a ping
 * is answered; a close frame ends reading; every violation of RFC 6455 a client must catch is reported once with its
 * close code and nothing after it is delivered; every buffer read or gathered is released.
 */
class ServerFrameReaderTest
{
    private final Recorder recorder = new Recorder();
    private final EmbeddedChannel channel = new EmbeddedChannel(new ServerFrameReader(recorder, new PayloadView()));

    @AfterEach
    void finish()
    {
        channel.finishAndReleaseAll();
    }

    @Test
    void wholeFramesOfEveryLengthClassInOneReadReachTheListenerInOrder()
    {
        final int[] lengths = { 0, 1, 125, 126, 65535, 65536, 100_000 };
        final List<byte[]> messages = new ArrayList<>();
        final ByteBuf stream = Unpooled.directBuffer();
        for (final int length : lengths)
        {
            final byte[] message = randomBytes(length, length);
            messages.add(message);
            stream.writeBytes(frameBytes(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message))));
        }

        channel.writeInbound(stream);

        assertEquals(0, stream.refCnt());
        assertMessages(messages);
        assertNull(recorder.badFrame);
    }

    @Test
    void aFrameSplitByteByByteIsGatheredAndDeliveredOnce()
    {
        final byte[] message = randomBytes(300, 1);
        final byte[] bytes =
            ByteBufUtil.getBytes(frameBytes(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message))));
        final List<ByteBuf> reads = new ArrayList<>();
        for (final byte each : bytes)
        {
            final ByteBuf read = Unpooled.wrappedBuffer(new byte[]{ each });
            reads.add(read);
            channel.writeInbound(read);
        }

        assertMessages(List.of(message));
        for (final ByteBuf read : reads)
        {
            assertEquals(0, read.refCnt());
        }
    }

    @Test
    void aFragmentedBinaryMessageIsReassembledAndAPingBetweenItsFragmentsIsAnswered()
    {
        final byte[] message = randomBytes(10, 2);
        final ByteBuf stream = Unpooled.buffer();
        stream.writeBytes(frameBytes(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(message, 0, 4))));
        stream.writeBytes(frameBytes(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[]{ 7, 8 }))));
        stream.writeBytes(frameBytes(new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(message, 4, 3))));
        stream.writeBytes(frameBytes(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(message, 7, 3))));

        channel.writeInbound(stream);

        assertMessages(List.of(message));
        final PongWebSocketFrame pong = assertInstanceOf(PongWebSocketFrame.class, readAsServer());
        assertArrayEquals(new byte[]{ 7, 8 }, ByteBufUtil.getBytes(pong.content()));
        pong.release();
    }

    @Test
    void aCloseFrameIsReportedAndNothingAfterItIsRead()
    {
        final ByteBuf stream = Unpooled.buffer();
        stream.writeBytes(frameBytes(new CloseWebSocketFrame(CloseCodes.GOING_AWAY, "bye")));
        stream.writeBytes(frameBytes(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[]{ 1 }))));

        channel.writeInbound(stream);

        assertEquals(List.of(CloseCodes.GOING_AWAY), recorder.closes);
        assertTrue(recorder.messages.isEmpty());
        assertEquals(0, stream.refCnt());
    }

    @Test
    void anEmptyCloseFrameHasNoStatus()
    {
        channel.writeInbound(frameBytes(new CloseWebSocketFrame()));

        assertEquals(List.of(ServerFrameReader.NO_STATUS), recorder.closes);
    }

    @Test
    void aTextFrameIsUnexpected()
    {
        channel.writeInbound(frameBytes(new TextWebSocketFrame("hello")));

        assertEquals(List.of("text frame"), recorder.unexpected);
        assertTrue(recorder.messages.isEmpty());
    }

    static Stream<Object[]> malformedFrames()
    {
        return Stream.of(
            new Object[]{ "reserved bits", bytes(0xC2, 0x01, 0), CloseCodes.PROTOCOL_ERROR },
            new Object[]{ "masked", bytes(0x82, 0x81, 1, 2, 3, 4, 5), CloseCodes.PROTOCOL_ERROR },
            new Object[]{ "reserved data opcode", bytes(0x83, 0x00), CloseCodes.PROTOCOL_ERROR },
            new Object[]{ "reserved control opcode", bytes(0x8B, 0x00), CloseCodes.PROTOCOL_ERROR },
            new Object[]{ "fragmented control", bytes(0x09, 0x00), CloseCodes.PROTOCOL_ERROR },
            new Object[]{ "long control", bytes(0x89, 126, 0, 126), CloseCodes.PROTOCOL_ERROR },
            new Object[]{ "16-bit length under 126", bytes(0x82, 126, 0, 125), CloseCodes.PROTOCOL_ERROR },
            new Object[]{ "64-bit length under 65536", bytes(0x82, 127, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF),
                CloseCodes.PROTOCOL_ERROR },
            new Object[]{ "negative 64-bit length", bytes(0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0),
                CloseCodes.PROTOCOL_ERROR },
            new Object[]{ "continuation first", bytes(0x80, 0x00), CloseCodes.PROTOCOL_ERROR },
            new Object[]{ "new message inside one", bytes(0x02, 0x01, 9, 0x82, 0x00), CloseCodes.PROTOCOL_ERROR },
            new Object[]{ "close body of 1 byte", bytes(0x88, 0x01, 3), CloseCodes.PROTOCOL_ERROR },
            new Object[]{ "close status 1005", bytes(0x88, 0x02, 0x03, 0xED), CloseCodes.PROTOCOL_ERROR },
            new Object[]{ "too long", bytes(0x82, 127, 0, 0, 0, 0, 0, 0x20, 0, 1), CloseCodes.MESSAGE_TOO_BIG });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFrames")
    void aMalformedFrameIsReportedOnceWithItsCloseCodeAndNothingAfterItIsDelivered(
        final String name, final byte[] malformed, final int closeCode)
    {
        final ByteBuf first = Unpooled.buffer().writeBytes(malformed)
            .writeBytes(frameBytes(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[]{ 1 }))));
        final ByteBuf second = frameBytes(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[]{ 2 })));

        channel.writeInbound(first);
        channel.writeInbound(second);

        assertEquals(closeCode, recorder.badFrameCode, name);
        assertEquals(1, recorder.badFrames);
        assertTrue(recorder.messages.isEmpty());
        assertEquals(0, first.refCnt());
        assertEquals(0, second.refCnt());
    }

    @Test
    void aViolationAfterAGatheredFrameReleasesTheGatherBuffers()
    {
        final TrackingAllocator allocator = new TrackingAllocator();
        channel.config().setAllocator(allocator);
        final byte[] message = randomBytes(200, 3);
        final ByteBuf partial = frameBytes(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(message)));
        final int last = partial.getByte(partial.writerIndex() - 1);
        partial.writerIndex(partial.writerIndex() - 1);
        channel.writeInbound(partial);
        channel.writeInbound(Unpooled.wrappedBuffer(bytes(last, 0x00, 0x01)));
        channel.writeInbound(Unpooled.wrappedBuffer(bytes(9, 0xC2, 0x00)));

        assertEquals(1, recorder.badFrames);
        assertTrue(recorder.messages.isEmpty(), "the fragmented message never ended");
        assertEquals(0, partial.refCnt());
        allocator.assertAllReleased();
    }

    /**
     * Any sequence of binary messages, fragmented or not, sent as one byte stream split at any points, reaches the
     * listener as exactly those messages in order, and every read buffer is released.
     */
    @Property(tries = 200)
    void anySplitOfAnyMessagesDeliversExactlyThoseMessages(
        @ForAll("messageLengths") @Size(min = 1, max = 12) final List<Integer> lengths,
        @ForAll @Size(max = 20) final List<@IntRange(min = 1, max = 70_000) Integer> cuts,
        @ForAll final boolean fragmentLongOnes,
        @ForAll final long seed)
    {
        final Recorder listener = new Recorder();
        final EmbeddedChannel reader = new EmbeddedChannel(new ServerFrameReader(listener, new PayloadView()));
        final TrackingAllocator allocator = new TrackingAllocator();
        reader.config().setAllocator(allocator);
        final Random random = new Random(seed);
        final List<byte[]> messages = new ArrayList<>();
        final ByteBuf stream = Unpooled.buffer();
        for (final int length : lengths)
        {
            final byte[] message = randomBytes(length, random.nextLong());
            messages.add(message);
            if (fragmentLongOnes && length > 2)
            {
                final int cut = 1 + random.nextInt(length - 1);
                stream.writeBytes(
                    frameBytes(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(message, 0, cut))));
                stream.writeBytes(frameBytes(
                    new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(message, cut, length - cut))));
            }
            else
            {
                stream.writeBytes(frameBytes(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message))));
            }
        }

        final List<ByteBuf> reads = new ArrayList<>();
        final int total = stream.readableBytes();
        final List<Integer> points = cuts.stream().map(cut -> cut % total).sorted().distinct().toList();
        int from = 0;
        for (final int point : points)
        {
            if (point > from)
            {
                reads.add(stream.copy(from, point - from));
                from = point;
            }
        }
        reads.add(stream.copy(from, total - from));
        stream.release();
        for (final ByteBuf read : reads)
        {
            reader.writeInbound(read);
        }

        assertEquals(messages.size(), listener.messages.size());
        for (int i = 0; i < messages.size(); i++)
        {
            assertArrayEquals(messages.get(i), listener.messages.get(i), "message " + i);
        }
        assertNull(listener.badFrame);
        for (final ByteBuf read : reads)
        {
            assertEquals(0, read.refCnt());
        }
        allocator.assertAllReleased();
        reader.finishAndReleaseAll();
    }

    @Provide
    Arbitrary<List<Integer>> messageLengths()
    {
        return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 125)),
            net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(126, 70_000)),
            net.jqwik.api.Tuple.of(1, Arbitraries.of(0, 125, 126, 65535, 65536))).list();
    }

    private void assertMessages(final List<byte[]> expected)
    {
        assertEquals(expected.size(), recorder.messages.size());
        for (int i = 0; i < expected.size(); i++)
        {
            assertArrayEquals(expected.get(i), recorder.messages.get(i), "message " + i);
        }
    }

    private Object readAsServer()
    {
        final EmbeddedChannel server = new EmbeddedChannel(new WebSocket08FrameDecoder(
            WebSocketDecoderConfig.newBuilder().expectMaskedFrames(true).allowMaskMismatch(false).build()));
        final ByteBuf written = channel.readOutbound();
        server.writeInbound(written);
        final Object frame = server.readInbound();
        server.finishAndReleaseAll();
        return frame;
    }

    private static ByteBuf frameBytes(final WebSocketFrame frame)
    {
        try
        {
            final ByteBuf bytes = ServerSideFrames.serverBytes(frame);
            final ByteBuf copy = Unpooled.copiedBuffer(bytes);
            bytes.release();
            return copy;
        }
        finally
        {
            frame.release();
        }
    }

    private static byte[] randomBytes(final int length, final long seed)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytes(final int... values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bytes[i] = (byte)values[i];
        }
        return bytes;
    }

    /**
     * Keeps every buffer the reader allocates, to check they were all released.
     */
    private static final class TrackingAllocator extends AbstractByteBufAllocator
    {
        private final List<ByteBuf> allocated = new ArrayList<>();

        public boolean isDirectBufferPooled()
        {
            return false;
        }

        protected ByteBuf newHeapBuffer(final int initialCapacity, final int maxCapacity)
        {
            return track(Unpooled.buffer(initialCapacity, maxCapacity));
        }

        protected ByteBuf newDirectBuffer(final int initialCapacity, final int maxCapacity)
        {
            return track(Unpooled.directBuffer(initialCapacity, maxCapacity));
        }

        void assertAllReleased()
        {
            for (final ByteBuf buffer : allocated)
            {
                assertEquals(0, buffer.refCnt(), "a buffer the reader allocated was not released");
            }
        }

        private ByteBuf track(final ByteBuf buffer)
        {
            allocated.add(buffer);
            return buffer;
        }
    }

    /**
     * Keeps what the reader hands over, copying each message out of the view that is valid only during the call.
     */
    private static final class Recorder implements ServerFrameReader.Listener
    {
        final List<byte[]> messages = new ArrayList<>();
        final List<Integer> closes = new ArrayList<>();
        final List<String> unexpected = new ArrayList<>();
        String badFrame;
        int badFrameCode;
        int badFrames;

        public void onBinaryMessage(final UnsafeBuffer payload, final int length)
        {
            final byte[] copy = new byte[length];
            payload.getBytes(0, copy);
            messages.add(copy);
        }

        public void onCloseFrame(final int statusCode)
        {
            closes.add(statusCode);
        }

        public void onUnexpectedFrame(final String kind)
        {
            unexpected.add(kind);
        }

        public void onBadFrame(final String reason, final int closeCode)
        {
            badFrame = reason;
            badFrameCode = closeCode;
            badFrames++;
        }
    }
}
