package io.tickwire.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tickwire.io.PacedIoHandler;
import io.tickwire.io.SocketReadPass;
import io.tickwire.net.pipeline.BinaryFrameFastPath;
import io.tickwire.net.pipeline.HttpRequestGuard;
import io.tickwire.net.pipeline.ReadDriver;

import java.util.concurrent.TimeUnit;

/**
 * The server the Autobahn|Testsuite fuzzing client runs against in net's {@code verify} phase (the
 * {@code autobahntestsuite-maven-plugin} calls {@link #main} with a port, on a daemon thread of the Maven JVM, and
 * connects to {@code ws://<local host address>:<port>/} with no subprotocol).
 * <p>
 * It is the game server's WebSocket edge, built by {@link ServerInitializer}'s own methods: the read driver, the HTTP
 * front (codec limits, request guard, aggregator, idle timeout; no TLS, caps or handshake deadline), the {@link
 * io.tickwire.net.pipeline.FrameGuard} (every frame charged to a budget, decoder violations and client close frames
 * answered with exactly one close frame), Netty's handshake and frame handling with the production decoder settings,
 * and the {@link io.tickwire.net.pipeline.BinaryFrameFastPath} for whole binary frames. Where epoll is available, as
 * for the game server's plain connections, a {@link SocketReadPass} reads each connection from its handshake on, here
 * every {@value #READ_PASS_PERIOD_MS} ms since no shard asks for passes; the suite thus checks the pass's hand-offs to
 * Netty's frame handling too. Its last handlers echo messages instead of playing a game. What differs from the game
 * endpoint, because an echo server must accept what the suite sends and the game endpoint refuses on purpose:
 * <ul>
 *   <li>path {@code /} and no subprotocol (no upgrade guard);</li>
 *   <li>messages of up to {@value #MAX_MESSAGE_LENGTH} bytes, text frames (checked as UTF-8, 1007 otherwise) and
 *   fragmented messages (aggregated), where the game endpoint closes with 1009, 1003 and 1002;</li>
 *   <li>a frame budget of {@value #MAX_FRAMES_PER_SECOND} per second, since category 9 sends a message in 65,536
 *   fragments; the budget handler and its accounting are the same.</li>
 * </ul>
 * Binds to the loopback address only; its threads are daemons, so the build ends when the suite does.
 */
public final class AutobahnEchoServer
{
    static final int MAX_MESSAGE_LENGTH = 16 * 1024 * 1024;
    static final int MAX_FRAMES_PER_SECOND = 100_000;
    private static final int IDLE_TIMEOUT_SECONDS = 30;
    private static final long HANDSHAKE_TIMEOUT_MS = 10_000;
    private static final String ECHO = "echo";
    private static final long READ_PASS_PERIOD_MS = 1;

    private AutobahnEchoServer()
    {
    }

    /**
     * Serves until the JVM exits.
     *
     * @param args the port to listen on, on 127.0.0.1.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final int port = Integer.parseInt(args[0]);
        final boolean epoll = Epoll.isAvailable();
        // One loop, so one read pass for every connection.
        final SocketReadPass readPass = epoll ? new SocketReadPass(ByteBufAllocator.DEFAULT) : null;
        final long readPassPeriodNs = TimeUnit.MILLISECONDS.toNanos(READ_PASS_PERIOD_MS);
        final IoHandlerFactory handlers = epoll ? executor -> new PacedIoHandler(
            EpollIoHandler.newFactory().newHandler(executor), PacedIoHandler.PassListener.NONE, readPass,
            readPassPeriodNs, readPassPeriodNs) : NioIoHandler.newFactory();
        final EventLoopGroup group =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("autobahn-echo", true), handlers);
        final NetCounters counters = new NetCounters();
        final HttpRequestGuard httpGuard = new HttpRequestGuard(counters);
        final Channel server = new ServerBootstrap()
            .group(group)
            .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                protected void initChannel(final SocketChannel channel)
                {
                    final ChannelPipeline pipeline = channel.pipeline();
                    pipeline.addLast(ReadDriver.NAME, new ReadDriver());
                    ServerInitializer.addHttp(pipeline, counters, httpGuard, IDLE_TIMEOUT_SECONDS);
                    pipeline.addLast("utf8", new Utf8FrameValidator(false));
                    ServerInitializer.addWebSocket(pipeline, counters, MAX_FRAMES_PER_SECOND,
                        ServerInitializer.websocketConfig("/", null, MAX_MESSAGE_LENGTH, HANDSHAKE_TIMEOUT_MS));
                    pipeline
                        .addLast("message-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE_LENGTH))
                        .addLast(ECHO, new Echo(readPass));
                }
            })
            .bind("127.0.0.1", port).sync().channel();
        server.closeFuture().sync();
    }

    /**
     * Sends every whole text or binary message back as one frame. Pings are answered and pongs dropped before it.
     */
    @ChannelHandler.Sharable
    private static final class Echo extends SimpleChannelInboundHandler<WebSocketFrame>
        implements BinaryFrameFastPath.Sink
    {
        private final SocketReadPass readPass;

        /**
         * @param readPass the loop's read pass, or null to read through Netty.
         */
        Echo(final SocketReadPass readPass)
        {
            super(false);
            this.readPass = readPass;
        }

        /**
         * Installs the game endpoint's fast path for whole binary frames, and its read pass, so the suite checks them
         * too.
         */
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
        {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete)
            {
                BinaryFrameFastPath.install(ctx.pipeline(), MAX_MESSAGE_LENGTH, ECHO, ServerInitializer.IDLE_TIMER,
                    () -> ServerInitializer.idleTimer(IDLE_TIMEOUT_SECONDS), readPass);
            }
            super.userEventTriggered(ctx, event);
        }

        public void onBinaryMessage(
            final ChannelHandlerContext ctx, final ByteBuf buffer, final int index, final int length)
        {
            ctx.writeAndFlush(new BinaryWebSocketFrame(buffer.retainedSlice(index, length)));
        }

        protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame)
        {
            final ByteBuf content = frame.content();
            if (frame instanceof TextWebSocketFrame)
            {
                ctx.writeAndFlush(new TextWebSocketFrame(content));
            }
            else if (frame instanceof BinaryWebSocketFrame)
            {
                ctx.writeAndFlush(new BinaryWebSocketFrame(content));
            }
            else
            {
                frame.release();
            }
        }

        /**
         * A peer that drops the connection in the middle of a fragmented message (several cases do) is not news.
         */
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }
    }
}
