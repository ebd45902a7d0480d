package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.codec.WireFormat;
import io.tickwire.net.pipeline.BinaryFrameFastPath;
import io.tickwire.net.pipeline.FrameGuard;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link BinaryFrameFastPath} against Netty's frame decoder alone: the same bytes, cut into reads at random
 * places, must give the handlers behind them the same frames in the same order (the sink's whole binary frames
 * merged with the decoder's other frames), the same close frame, the same counters, and release every buffer; and
 * whole binary frames must actually take the fast path.
 */
class BinaryFrameFastPathTest
{
    private static final int MAX_PAYLOAD = WireFormat.MAX_CLIENT_MESSAGE_LENGTH;
    private static final int GENEROUS_FRAMES_PER_SECOND = 100_000;
    private static final int FIN = 0x80;
    private static final int RSV1 = 0x40;
    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    private static final int RESERVED_OPCODE = 0x3;
    private static final int NO_CLOSE = -1;

    @Property(tries = 600)
    void anyStreamCutAnywhereReachesTheHandlersAsWithTheDecoderAlone(
        @ForAll("streams") final List<byte[]> frames, @ForAll("cuts") final List<Integer> cuts)
    {
        final byte[] stream = concat(frames);
        final Outcome plain = run(false, stream, cuts, GENEROUS_FRAMES_PER_SECOND);
        final Outcome fast = run(true, stream, cuts, GENEROUS_FRAMES_PER_SECOND);
        final Outcome direct = runDirect(stream, cuts);

        for (final Outcome withFastPath : List.of(fast, direct))
        {
            assertEquals(plain.seen, withFastPath.seen, "the frames the handlers behind see");
            assertEquals(plain.closeCode, withFastPath.closeCode, "the close frame");
            assertEquals(plain.framesRead, withFastPath.framesRead, "frames charged to the budget");
            assertEquals(plain.badFrames, withFastPath.badFrames, "bad frames counted");
        }
        assertEquals(fast.fastTaken, direct.fastTaken, "read by the pass, the same frames take the fast path");
        assertEquals(0, plain.fastTaken);
        Statistics.label("taken by the fast path").collect(fast.fastTaken == 0 ? "none" : "some");
        Statistics.label("closed").collect(fast.closeCode != NO_CLOSE);
    }

    @Test
    void wholeBinaryFramesInOneReadTakeTheFastPath()
    {
        final byte[] first = payload(MAX_PAYLOAD, 1);
        final byte[] second = payload(130, 2);
        final byte[] third = payload(3, 3);
        final byte[] stream = concat(List.of(
            frame(FIN | BINARY, first, true), frame(FIN | PING, payload(4, 4), true),
            frame(FIN | BINARY, second, true), frame(FIN | BINARY, third, true)));

        final Outcome fast = run(true, stream, List.of(stream.length), GENEROUS_FRAMES_PER_SECOND);

        assertEquals(3, fast.fastTaken, "the binary frames, not the ping");
        assertEquals(List.of(seen(BINARY, true, first), seen(PING, true, payload(4, 4)), seen(BINARY, true, second),
            seen(BINARY, true, third)), fast.seen);
        assertEquals(4, fast.framesRead);
        assertEquals(NO_CLOSE, fast.closeCode);
    }

    @Test
    void framesTakenByTheFastPathSpendTheFrameBudget()
    {
        final int framesPerSecond = 2;
        final int budget = framesPerSecond * FrameGuard.BURST_SECONDS;
        final List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < budget + 5; i++)
        {
            frames.add(frame(FIN | BINARY, payload(8, i), true));
        }
        final byte[] stream = concat(frames);

        final Outcome fast = run(true, stream, List.of(stream.length), framesPerSecond);

        assertEquals(budget, fast.fastTaken, "frames beyond the budget never reach the sink");
        assertEquals(1008, fast.closeCode);
        assertEquals(1, fast.rateLimited);
    }

    @Test
    void theEndOfAReadWhoseFramesWereAllTakenStopsAtTheFastPath()
    {
        final Recorder recorder = new Recorder();
        final EmbeddedChannel channel = pipeline(true, recorder, new NetCounters(), GENEROUS_FRAMES_PER_SECOND);

        channel.writeInbound(Unpooled.wrappedBuffer(frame(FIN | BINARY, payload(5, 1), true)));
        assertEquals(0, recorder.readCompletes, "nothing behind the fast path had anything to finish");
        channel.writeInbound(Unpooled.wrappedBuffer(concat(List.of(
            frame(FIN | BINARY, payload(5, 2), true), frame(FIN | PING, payload(1, 3), true)))));
        assertEquals(1, recorder.readCompletes, "the decoder was passed a ping");
        assertEquals(3, recorder.seen.size());
        channel.finishAndReleaseAll();
    }

    @Test
    void theIdleTimerMovesInFrontOfTheFastPathWhereItSeesEveryRead()
    {
        final EmbeddedChannel channel = pipeline(true, new Recorder(), new NetCounters(), GENEROUS_FRAMES_PER_SECOND);
        final List<String> names = channel.pipeline().names();
        assertTrue(names.indexOf(ServerInitializer.IDLE_TIMER) < names.indexOf(BinaryFrameFastPath.NAME));
        assertTrue(names.indexOf(BinaryFrameFastPath.NAME) < names.indexOf("wsdecoder"));
        channel.finishAndReleaseAll();
    }

    @Provide
    Arbitrary<List<byte[]>> streams()
    {
        final Arbitrary<byte[]> normal = Arbitraries.oneOf(
            masked(FIN | BINARY, 0, MAX_PAYLOAD),
            masked(FIN | BINARY, 126, MAX_PAYLOAD),
            masked(FIN | PING, 0, 125),
            masked(FIN | PONG, 0, 20),
            masked(FIN | TEXT, 0, 20),
            fragmentedMessage());
        final Arbitrary<byte[]> ending = Arbitraries.oneOf(
            masked(FIN | BINARY, MAX_PAYLOAD + 1, MAX_PAYLOAD + 40),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(p -> frame(FIN | BINARY, p, false)),
            masked(FIN | RSV1 | BINARY, 0, 20),
            masked(FIN | RESERVED_OPCODE, 0, 20),
            masked(BINARY, 0, 20).map(start -> concat(List.of(start, frame(FIN | BINARY, payload(3, 9), true)))),
            masked(FIN | CONTINUATION, 0, 20),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(100).map(BinaryFrameFastPathTest::longLength),
            Arbitraries.integers().between(999, 1001)
                .map(code -> frame(FIN | CLOSE, new byte[] {(byte)(code >> 8), (byte)(code & 0xFF)}, true)));
        return Combinators.combine(normal.list().ofMaxSize(30), ending.injectNull(0.5), normal.list().ofMaxSize(3))
            .as((before, end, after) ->
            {
                final List<byte[]> frames = new ArrayList<>(before);
                if (end != null)
                {
                    frames.add(end);
                }
                frames.addAll(after);
                return frames;
            });
    }

    @Provide
    Arbitrary<List<Integer>> cuts()
    {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 16), Arbitraries.integers().between(1, 2_000))
            .list().ofMinSize(1).ofMaxSize(40);
    }

    private static Arbitrary<byte[]> masked(final int first, final int minLength, final int maxLength)
    {
        return Combinators.combine(
                Arbitraries.bytes().array(byte[].class).ofMinSize(minLength).ofMaxSize(maxLength),
                Arbitraries.integers())
            .as((payload, mask) -> frame(first, payload, mask));
    }

    /**
     * A binary or text message in two or three fragments, with a ping between two of them.
     */
    private static Arbitrary<byte[]> fragmentedMessage()
    {
        return Combinators.combine(Arbitraries.of(BINARY, TEXT), Arbitraries.integers().between(2, 3),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(30))
            .as((opcode, fragments, payload) ->
            {
                final List<byte[]> frames = new ArrayList<>();
                frames.add(frame(opcode, payload, true));
                frames.add(frame(FIN | PING, payload(2, fragments), true));
                for (int i = 1; i < fragments; i++)
                {
                    frames.add(frame((i == fragments - 1 ? FIN : 0) | CONTINUATION, payload, true));
                }
                return concat(frames);
            });
    }

    /**
     * A binary frame whose length uses the 64-bit form (not minimal for these payloads, so a violation).
     */
    private static byte[] longLength(final byte[] payload)
    {
        final ByteBuf out = Unpooled.buffer();
        out.writeByte(FIN | BINARY).writeByte(0x80 | 127).writeLong(payload.length).writeInt(0);
        out.writeBytes(payload);
        return ByteBufUtil.getBytes(out);
    }

    private Outcome run(final boolean fastPath, final byte[] stream, final List<Integer> cuts, final int framesPerSecond)
    {
        final Recorder recorder = new Recorder();
        final NetCounters counters = new NetCounters();
        final EmbeddedChannel channel = pipeline(fastPath, recorder, counters, framesPerSecond);
        final List<ByteBuf> reads = new ArrayList<>();
        int offset = 0;
        for (int i = 0; offset < stream.length; i++)
        {
            final int length = Math.min(cuts.get(i % cuts.size()), stream.length - offset);
            final ByteBuf read = Unpooled.directBuffer(length).writeBytes(stream, offset, length);
            reads.add(read);
            offset += length;
            if (channel.isActive())
            {
                channel.writeInbound(read);
            }
            else
            {
                read.release();
            }
        }
        final int closeCode = closeCodeWritten(channel);
        channel.finishAndReleaseAll();
        for (final ByteBuf read : reads)
        {
            assertEquals(0, read.refCnt(), "every read buffer released");
        }
        return new Outcome(recorder.seen, recorder.fastTaken, closeCode, counters.framesRead.sum(),
            counters.invalidMessages(ClientMessageError.BAD_FRAME),
            counters.invalidMessages(ClientMessageError.RATE_LIMITED));
    }

    /**
     * @return the status code of the one close frame {@code channel} wrote, or {@link #NO_CLOSE}.
     */
    private static int closeCodeWritten(final EmbeddedChannel channel)
    {
        int closeCode = NO_CLOSE;
        Object written;
        while ((written = channel.readOutbound()) != null)
        {
            assertEquals(NO_CLOSE, closeCode, "nothing after the close frame");
            closeCode = ((CloseWebSocketFrame)written).statusCode();
            ReferenceCountUtil.release(written);
        }
        return closeCode;
    }

    /**
     * As {@link #run} with the fast path, with every read handed to it as the event loop's read pass does
     * ({@link BinaryFrameFastPath#readDirect}, then the end of the read): one buffer, reused for every read, which no
     * handler may keep a part of.
     */
    private Outcome runDirect(final byte[] stream, final List<Integer> cuts)
    {
        final Recorder recorder = new Recorder();
        final NetCounters counters = new NetCounters();
        final EmbeddedChannel channel = pipeline(true, recorder, counters, GENEROUS_FRAMES_PER_SECOND);
        final ChannelHandlerContext context = channel.pipeline().context(BinaryFrameFastPath.NAME);
        final BinaryFrameFastPath fastPath = (BinaryFrameFastPath)context.handler();
        final ByteBuf readBuffer = Unpooled.directBuffer(stream.length + 1);
        int offset = 0;
        for (int i = 0; offset < stream.length && channel.isActive(); i++)
        {
            final int length = Math.min(cuts.get(i % cuts.size()), stream.length - offset);
            readBuffer.clear().writeBytes(stream, offset, length);
            offset += length;
            fastPath.readDirect(context, readBuffer);
            fastPath.channelReadComplete(context);
            channel.runPendingTasks();
            channel.checkException();
            assertEquals(1, readBuffer.refCnt(), "no handler keeps a part of the pass's buffer");
        }
        final int closeCode = closeCodeWritten(channel);
        channel.finishAndReleaseAll();
        readBuffer.release();
        return new Outcome(recorder.seen, recorder.fastTaken, closeCode, counters.framesRead.sum(),
            counters.invalidMessages(ClientMessageError.BAD_FRAME),
            counters.invalidMessages(ClientMessageError.RATE_LIMITED));
    }

    /**
     * The game connection's inbound pipeline after the handshake, with the production decoder settings and a
     * recorder in place of the client handler.
     */
    private static EmbeddedChannel pipeline(
        final boolean fastPath, final Recorder recorder, final NetCounters counters, final int framesPerSecond)
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline()
            .addLast(ServerInitializer.IDLE_TIMER, new IdleStateHandler(30, 0, 0, TimeUnit.SECONDS))
            .addLast("wsdecoder", new WebSocket08FrameDecoder(ServerInitializer.websocketConfig(
                "/ws", WireFormat.SUBPROTOCOL, MAX_PAYLOAD, 1_000).decoderConfig()))
            .addLast("frame-guard", new FrameGuard(counters, framesPerSecond))
            .addLast("sink", recorder);
        if (fastPath)
        {
            assertFalse(BinaryFrameFastPath.install(channel.pipeline(), MAX_PAYLOAD, "sink",
                ServerInitializer.IDLE_TIMER, () -> ServerInitializer.idleTimer(30), null));
        }
        return channel;
    }

    private static byte[] frame(final int first, final byte[] payload, final boolean masked)
    {
        return frame(first, payload, masked ? 0x5A3C_96E1 : 0, masked);
    }

    private static byte[] frame(final int first, final byte[] payload, final int mask)
    {
        return frame(first, payload, mask, true);
    }

    private static byte[] frame(final int first, final byte[] payload, final int mask, final boolean masked)
    {
        final ByteBuf out = Unpooled.buffer();
        out.writeByte(first);
        final int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126)
        {
            out.writeByte(maskBit | payload.length);
        }
        else
        {
            out.writeByte(maskBit | 126).writeShort(payload.length);
        }
        if (masked)
        {
            out.writeInt(mask);
        }
        for (int i = 0; i < payload.length; i++)
        {
            final int key = masked ? (mask >>> (24 - 8 * (i % 4))) & 0xFF : 0;
            out.writeByte(payload[i] ^ key);
        }
        return ByteBufUtil.getBytes(out);
    }

    private static byte[] payload(final int length, final int seed)
    {
        final byte[] payload = new byte[length];
        for (int i = 0; i < length; i++)
        {
            payload[i] = (byte)(seed * 31 + i);
        }
        return payload;
    }

    private static byte[] concat(final List<byte[]> parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static Seen seen(final int opcode, final boolean fin, final byte[] payload)
    {
        return new Seen(opcode, fin, payload);
    }

    private record Outcome(
        List<Seen> seen, int fastTaken, int closeCode, long framesRead, long badFrames, long rateLimited)
    {
    }

    private record Seen(int opcode, boolean fin, byte[] payload)
    {
        public boolean equals(final Object other)
        {
            return other instanceof Seen && ((Seen)other).opcode == opcode && ((Seen)other).fin == fin &&
                Arrays.equals(((Seen)other).payload, payload);
        }

        public int hashCode()
        {
            return 31 * (31 * opcode + Boolean.hashCode(fin)) + Arrays.hashCode(payload);
        }

        public String toString()
        {
            return "Seen[" + opcode + (fin ? " fin " : " ") + payload.length + " bytes]";
        }
    }

    /**
     * Stands where the client handler is: records what the fast path hands it and what the pipeline passes it.
     */
    private static final class Recorder extends ChannelInboundHandlerAdapter implements BinaryFrameFastPath.Sink
    {
        final List<Seen> seen = new ArrayList<>();
        int fastTaken;
        int readCompletes;

        public void channelReadComplete(final ChannelHandlerContext ctx)
        {
            readCompletes++;
        }

        public void onBinaryMessage(
            final ChannelHandlerContext ctx, final ByteBuf buffer, final int index, final int length)
        {
            fastTaken++;
            seen.add(seen(BINARY, true, ByteBufUtil.getBytes(buffer, index, length)));
        }

        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final WebSocketFrame frame = (WebSocketFrame)msg;
            seen.add(seen(opcodeOf(frame), frame.isFinalFragment(), ByteBufUtil.getBytes(frame.content())));
            frame.release();
        }

        private static int opcodeOf(final WebSocketFrame frame)
        {
            if (frame instanceof BinaryWebSocketFrame)
            {
                return BINARY;
            }
            if (frame instanceof TextWebSocketFrame)
            {
                return TEXT;
            }
            if (frame instanceof ContinuationWebSocketFrame)
            {
                return CONTINUATION;
            }
            if (frame instanceof PingWebSocketFrame)
            {
                return PING;
            }
            assertFalse(frame instanceof CloseWebSocketFrame, "close frames stop at the guard");
            assertTrue(frame instanceof PongWebSocketFrame);
            return PONG;
        }
    }
}
