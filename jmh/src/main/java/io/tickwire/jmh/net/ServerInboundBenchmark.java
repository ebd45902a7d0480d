package io.tickwire.jmh.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.tickwire.api.GameSettings;
import io.tickwire.codec.InputCodec;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.games.arena.ArenaGame;
import io.tickwire.games.arena.ArenaProvider;
import io.tickwire.jmh.AbstractBenchmark;
import io.tickwire.net.EventLoopOutbounds;
import io.tickwire.net.Gateway;
import io.tickwire.net.NetCounters;
import io.tickwire.net.pipeline.BinaryFrameFastPath;
import io.tickwire.net.pipeline.ClientMessageHandler;
import io.tickwire.net.pipeline.FrameGuard;
import io.tickwire.net.pipeline.ReadDriver;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.InputEvent;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.ShardRouter;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One client INPUT through the server's own inbound path, as the event loop's read pass hands it over: the masked
 * WebSocket frame's bytes land in the loop's read buffer (the copy {@code recv(2)} makes), {@link BinaryFrameFastPath}
 * checks its header, charges it to the connection's {@link FrameGuard} budget and unmasks it in place,
 * {@link ClientMessageHandler} dispatches it to the joined room's game, which decodes the values against the arena's
 * input schema, and it is published into the shard's {@link InputRing}; then the shard's drain takes it. Each
 * invocation serves the next of {@code connections} joined connections, each a real pipeline, so with 1000 the
 * objects of each connection are as cold as at the reference workload. The baseline is
 * {@link io.tickwire.jmh.ring.InputRingBenchmark}'s {@code publishThenDrain}: the same decode and publish, without
 * the frame and the pipeline. Runs on a Netty thread ({@link NettyThreadExecutor}); {@code -prof gc} shows that the
 * path allocates nothing.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Djmh.executor=CUSTOM",
    "-Djmh.executor.class=io.tickwire.jmh.net.NettyThreadExecutor"})
public class ServerInboundBenchmark extends AbstractBenchmark
{
    private static final String IDLE = "idle";
    private static final String CLIENT = "client";
    private static final int IDLE_SECONDS = 30;
    /** Far above what one benchmark thread sends, so the frame budget never closes a connection here. */
    private static final int FRAMES_PER_SECOND = 200_000_000;
    private static final int MASK = 0x5A3C_96E1;

    @Param({"1", "1000"})
    public int connections;

    private final InputRing ring = new InputRing(1024);
    private final InputRing.InputHandler drained = new InputRing.InputHandler()
    {
        protected void onInputEvent(final InputEvent event)
        {
            inputs++;
        }
    };
    private long inputs;
    private EmbeddedChannel[] channels;
    private ChannelHandlerContext[] fastPaths;
    private ByteBuf readBuffer;
    private ByteBuf inputFrame;
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        final NetCounters counters = new NetCounters();
        final Gateway gateway = new Gateway(new InputRing[] {ring}, new ShardRouter(1),
            new GameCatalog(List.of(new ArenaProvider().create(new GameSettings(30, 7L, Map.of())))), counters,
            List::of, new EventLoopOutbounds());
        readBuffer = PooledByteBufAllocator.DEFAULT.directBuffer(WireFormat.MAX_CLIENT_MESSAGE_LENGTH * 2);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[WireFormat.MAX_CLIENT_MESSAGE_LENGTH]);
        inputFrame = maskedFrame(scratch, new InputCodec(ArenaGame.INPUT_SCHEMA).encode(
            scratch, 0, 0, 1, 0, new int[ArenaGame.INPUT_SCHEMA.fieldCount()]));
        channels = new EmbeddedChannel[connections];
        fastPaths = new ChannelHandlerContext[connections];
        final ControlCodec control = new ControlCodec();
        for (int i = 0; i < connections; i++)
        {
            channels[i] = joinedChannel(gateway, counters);
            fastPaths[i] = channels[i].pipeline().context(BinaryFrameFastPath.NAME);
            final ByteBuf join = maskedFrame(scratch,
                control.encode(JoinRequest.named("arena", "room-" + i / 100, "player-" + i), scratch, 0));
            read(i, join);
            join.release();
            if (ring.drain(drained) != 1 || !channels[i].isActive())
            {
                throw new IllegalStateException("connection " + i + " did not join");
            }
        }
        inputs = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (inputs == 0 || !channels[0].isActive())
        {
            throw new IllegalStateException("no input reached the ring, or a connection was closed");
        }
        for (final EmbeddedChannel channel : channels)
        {
            channel.finishAndReleaseAll();
        }
        readBuffer.release();
        inputFrame.release();
    }

    @Benchmark
    public int inputThroughPipeline()
    {
        final int connection = next;
        next = connection + 1 == connections ? 0 : connection + 1;
        read(connection, inputFrame);
        return ring.drain(drained);
    }

    /**
     * One read of {@code frame}'s bytes for connection {@code i}, as the read pass hands it to the fast path.
     */
    private void read(final int i, final ByteBuf frame)
    {
        readBuffer.setBytes(0, frame, 0, frame.readableBytes()).setIndex(0, frame.readableBytes());
        ((BinaryFrameFastPath)fastPaths[i].handler()).readDirect(fastPaths[i], readBuffer);
    }

    /**
     * A game connection's pipeline once its WebSocket handshake completed, as the server builds it: the idle timer,
     * Netty's frame decoder, the frame guard, the read driver and the client handler, then the fast path installed
     * in front of the decoder.
     */
    private static EmbeddedChannel joinedChannel(final Gateway gateway, final NetCounters counters)
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline()
            .addLast(IDLE, new IdleStateHandler(IDLE_SECONDS, 0, 0, TimeUnit.SECONDS))
            .addLast("wsdecoder", new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true).maxFramePayloadLength(WireFormat.MAX_CLIENT_MESSAGE_LENGTH).build()))
            .addLast("frame-guard", new FrameGuard(counters, FRAMES_PER_SECOND))
            .addLast(new ReadDriver())
            .addLast(CLIENT, new ClientMessageHandler(gateway));
        channel.pipeline().fireUserEventTriggered(new WebSocketServerProtocolHandler.HandshakeComplete(
            "/ws", new DefaultHttpHeaders(), WireFormat.SUBPROTOCOL));
        BinaryFrameFastPath.install(channel.pipeline(), WireFormat.MAX_CLIENT_MESSAGE_LENGTH, CLIENT, IDLE,
            () -> new IdleStateHandler(IDLE_SECONDS, 0, 0, TimeUnit.SECONDS), null);
        return channel;
    }

    /**
     * @return a client's binary frame of {@code payload[0, length)}: final, masked, the length in the fewest bytes.
     */
    private static ByteBuf maskedFrame(final UnsafeBuffer payload, final int length)
    {
        final ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(length + 8);
        frame.writeByte(0x82);
        if (length < 126)
        {
            frame.writeByte(0x80 | length);
        }
        else
        {
            frame.writeByte(0x80 | 126).writeShort(length);
        }
        frame.writeInt(MASK);
        for (int i = 0; i < length; i++)
        {
            frame.writeByte(payload.getByte(i) ^ (MASK >>> (24 - 8 * (i & 3))));
        }
        return frame;
    }
}
