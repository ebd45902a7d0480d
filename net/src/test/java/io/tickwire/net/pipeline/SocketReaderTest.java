package io.tickwire.net.pipeline;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;
import io.tickwire.io.PacedIoHandler;
import io.tickwire.io.ReadySockets;
import io.tickwire.io.SocketReadPass;
import io.tickwire.net.NetCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A {@link SocketReadPass} is told by its epoll set only when bytes arrive on a socket (edge-triggered), so what it
 * leaves unread in one run must be read at the next without more bytes arriving: bytes beyond the cap of one run,
 * and bytes that waited while another reason paused reading. Here the loop runs the pass only when the test asks
 * ({@link PacedIoHandler#requestPass()}), on a connection set up as the game server's after its handshake.
 */
@Timeout(30)
class SocketReaderTest
{
    private static final long NEVER_NS = TimeUnit.HOURS.toNanos(1);
    private static final int PAYLOAD_BYTES = 100;
    private static final int FRAME_BYTES = 2 + 4 + PAYLOAD_BYTES;
    private static final int RUN_BYTES = SocketReadPass.MAX_READS_PER_PASS * SocketReadPass.READ_BYTES;
    private static final int FRAMES_PER_RUN = RUN_BYTES / FRAME_BYTES;
    private static final String IDLE = "idle";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final AtomicInteger framesTaken = new AtomicInteger();
    private final AtomicReference<PacedIoHandler> loop = new AtomicReference<>();
    private final CompletableFuture<Channel> accepted = new CompletableFuture<>();
    private final AtomicBoolean readByPass = new AtomicBoolean();
    private final AtomicInteger idleTimersMade = new AtomicInteger();
    private EventLoopGroup group;
    private Channel server;
    private Socket client;

    @BeforeEach
    void start() throws Exception
    {
        assumeTrue(Epoll.isAvailable(), "the read pass reads epoll sockets only");
        final SocketReadPass pass = new SocketReadPass(ByteBufAllocator.DEFAULT);
        group = new MultiThreadIoEventLoopGroup(1, executor ->
        {
            final PacedIoHandler handler = new PacedIoHandler(EpollIoHandler.newFactory().newHandler(executor),
                PacedIoHandler.PassListener.NONE, pass, NEVER_NS, NEVER_NS);
            loop.set(handler);
            return handler;
        });
        final NetCounters counters = new NetCounters();
        server = new ServerBootstrap()
            .group(group)
            .channel(EpollServerSocketChannel.class)
            .option(ChannelOption.SO_RCVBUF, 1 << 20)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                protected void initChannel(final SocketChannel channel)
                {
                    channel.pipeline()
                        .addLast(ReadDriver.NAME, new ReadDriver())
                        .addLast(IDLE, idleTimer())
                        .addLast(BinaryFrameFastPath.DECODER_NAME, new WebSocket08FrameDecoder(
                            WebSocketDecoderConfig.newBuilder().expectMaskedFrames(true)
                                .maxFramePayloadLength(PAYLOAD_BYTES).build()))
                        .addLast("frame-guard", new FrameGuard(counters, 1_000_000))
                        .addLast("sink", new Counter());
                    readByPass.set(BinaryFrameFastPath.install(channel.pipeline(), PAYLOAD_BYTES, "sink", IDLE,
                        () ->
                        {
                            idleTimersMade.incrementAndGet();
                            return idleTimer();
                        }, pass));
                    accepted.complete(channel);
                }
            })
            .bind("127.0.0.1", 0).sync().channel();
        client = new Socket();
        client.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress)server.localAddress()).getPort()));
        accepted.get(10, TimeUnit.SECONDS);
        // The read driver asked Netty for one read when it was added, as after a handshake: let it take a frame.
        client.getOutputStream().write(frames(1));
        await().atMost(WAIT).until(() -> framesTaken.get() == 1);
        framesTaken.set(0);
    }

    @AfterEach
    void stop() throws Exception
    {
        if (client != null)
        {
            client.close();
        }
        if (server != null)
        {
            server.close().sync();
        }
        if (group != null)
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * The pass takes the connection as the fast path is installed: the pipeline's idle timer leaves it (the pass
     * keeps the connection's idle time itself), and no new timer is made only to be removed.
     */
    @Test
    void aConnectionThePassTakesAtInstallKeepsNoIdleTimerAndGetsNoNewOne() throws Exception
    {
        final Channel channel = accepted.get();
        assertTrue(readByPass.get(), "read by the pass");
        assertNull(channel.pipeline().get(IDLE), "no idle timer in the pipeline");
        assertEquals(0, idleTimersMade.get(), "no idle timer made");
    }

    /**
     * 212 KB are sent at once; a run reads at most 64 KiB of a socket, and what is left once the last bytes arrived
     * is read by the next runs, although the epoll set reports nothing more.
     */
    @Test
    void bytesLeftByTheCapOfARunAreReadAtTheNextRunsWithoutMoreArriving() throws Exception
    {
        final int frames = 2_000;
        client.getOutputStream().write(frames(frames));

        runPass();
        final int afterFirst = framesTaken.get();
        assertTrue(afterFirst <= FRAMES_PER_RUN, "one run reads at most its cap: " + afterFirst);
        final AtomicInteger runs = new AtomicInteger(1);
        await().atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(1)).until(() ->
        {
            runPass();
            runs.incrementAndGet();
            return framesTaken.get() == frames;
        });
        assertTrue(runs.get() >= (frames * FRAME_BYTES + RUN_BYTES - 1) / RUN_BYTES,
            "capped in every run: " + runs.get() + " runs");
    }

    /**
     * Bytes that arrive while a handler waits for an answer are not read then, and are read at the first run after
     * the answer came, although nothing more arrives.
     */
    @Test
    void bytesThatArrivedWhileReadingWasPausedAreReadAtTheFirstRunAfterItResumes() throws Exception
    {
        final Channel channel = accepted.get();
        channel.eventLoop().submit(() -> ReadDriver.pause(channel, ReadDriver.AWAITING_ANSWER)).get();
        try (ReadySockets probe = ReadySockets.open())
        {
            probe.add(((EpollSocketChannel)channel).fd().intValue());
            client.getOutputStream().write(frames(3));
            await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(() -> probe.poll() == 1);
        }

        runPass();
        assertEquals(0, framesTaken.get(), "not while paused");

        channel.eventLoop().submit(() -> ReadDriver.resume(channel, ReadDriver.AWAITING_ANSWER)).get();
        runPass();
        assertEquals(3, framesTaken.get(), "read once resumed");
    }

    private void runPass()
    {
        final PacedIoHandler handler = loop.get();
        final long pass = handler.requestPass();
        await().atMost(WAIT).until(() -> handler.completedPass() >= pass);
    }

    private static IdleStateHandler idleTimer()
    {
        return new IdleStateHandler(30, 0, 0, TimeUnit.SECONDS);
    }

    private static byte[] frames(final int count)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final byte[] mask = {0x11, 0x22, 0x33, 0x44};
        for (int f = 0; f < count; f++)
        {
            out.write(0x82);
            out.write(0x80 | PAYLOAD_BYTES);
            out.writeBytes(mask);
            for (int i = 0; i < PAYLOAD_BYTES; i++)
            {
                out.write((byte)(f + i) ^ mask[i & 3]);
            }
        }
        return out.toByteArray();
    }

    /**
     * Stands where the client handler is: counts the binary frames the fast path hands it, and those the decoder
     * passes (a frame split between two reads goes to the decoder).
     */
    private final class Counter extends ChannelInboundHandlerAdapter implements BinaryFrameFastPath.Sink
    {
        public void onBinaryMessage(
            final ChannelHandlerContext ctx, final ByteBuf buffer, final int index, final int length)
        {
            framesTaken.incrementAndGet();
        }

        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            assertTrue(msg instanceof BinaryWebSocketFrame, "binary frames only: " + msg);
            ((BinaryWebSocketFrame)msg).release();
            framesTaken.incrementAndGet();
        }
    }
}
