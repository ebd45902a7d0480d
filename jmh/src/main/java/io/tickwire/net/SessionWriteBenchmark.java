package io.tickwire.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.util.ReferenceCountUtil;
import io.tickwire.jmh.AbstractBenchmark;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import io.tickwire.io.SendRing;
import io.tickwire.io.SendRingIoHandler;

/**
 * One tick's snapshots written to {@value #CONNECTIONS} real loopback connections, the server's outbound hand-off
 * end to end: the benchmark thread offers a snapshot to each connection's {@link Session}, as a shard does, and the
 * epoll event loop, woken by the flush the shard makes after its fan-out, drains them ({@link EventLoopOutbound})
 * and writes them. The benchmark thread then parks until
 * the loop has run a marker task queued behind the drain, so an operation's time is the loop's work, system calls
 * included, plus one wake-up per tick shared by every frame. The peers, on an event loop of their own, read and
 * drop every byte, so no socket fills.
 * {@code writes}: {@code direct}, the sessions write straight to the socket, a {@code write(2)} per frame, as the
 * server does on plain epoll connections with {@code --io-writes direct}; {@code batched}, the same but each drain's
 * frames go to the kernel in one io_uring submission ({@link SendRing}), as with {@code --io-writes batched};
 * {@code pipeline}, every frame goes through the pipeline from the WebSocket encoder's context, which sits next to
 * the pipeline's head as in the server, and is flushed, as under TLS or another transport. One operation is one
 * frame. The class
 * lives in the server's package because a session's constructor is package-private. Netty's leak detection is off in its
 * fork: it samples allocations with a stack trace, which {@code -prof gc} would count against the path.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Djmh.executor=CUSTOM",
    "-Djmh.executor.class=io.tickwire.jmh.net.NettyThreadExecutor", "-Dio.netty.leakDetection.level=disabled"})
public class SessionWriteBenchmark extends AbstractBenchmark
{
    static final int CONNECTIONS = 1000;

    @Param({"batched", "direct", "pipeline"})
    public String writes;

    @Param({"40"})
    public int payloadBytes;

    private EventLoopGroup group;
    private EventLoop loop;
    private Channel server;
    private EventLoopGroup peerGroup;
    private Session[] sessions;
    private EventLoopOutbound outbound;
    private UnsafeBuffer payload;
    private Thread benchmarkThread;
    private long ticksOffered;
    private volatile long ticksWritten;
    private final Runnable marker = this::onTickWritten;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        group = new MultiThreadIoEventLoopGroup(1, writes.equals("batched") ?
            SendRingIoHandler.wrap(EpollIoHandler.newFactory()) : EpollIoHandler.newFactory());
        loop = group.next();
        final ConcurrentLinkedQueue<Channel> accepted = new ConcurrentLinkedQueue<>();
        server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<>()
            {
                protected void initChannel(final Channel channel)
                {
                    channel.pipeline().addLast(new WebSocket13FrameEncoder(false));
                    accepted.add(channel);
                }
            })
            .bind("127.0.0.1", 0).sync().channel();
        peerGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        final Bootstrap peers = new Bootstrap().group(peerGroup).channel(EpollSocketChannel.class)
            .handler(new ChannelInboundHandlerAdapter()
            {
                public boolean isSharable()
                {
                    return true;
                }

                public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                {
                    ReferenceCountUtil.release(msg);
                }
            });
        for (int i = 0; i < CONNECTIONS; i++)
        {
            peers.connect(server.localAddress()).sync();
        }
        while (accepted.size() < CONNECTIONS)
        {
            Thread.onSpinWait();
        }

        outbound = new EventLoopOutbound(loop);
        final NetCounters counters = new NetCounters();
        sessions = new Session[CONNECTIONS];
        int i = 0;
        for (final Channel channel : accepted)
        {
            final ChannelHandlerContext encoder = channel.pipeline().context(WebSocketFrameEncoder.class);
            sessions[i] = new Session(i, channel, encoder,
                writes.equals("pipeline") ? null : ((EpollSocketChannel)channel).fd(), outbound, counters);
            i++;
        }
        payload = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadBytes));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        peerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        server.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Benchmark
    @OperationsPerInvocation(CONNECTIONS)
    public long tick()
    {
        benchmarkThread = Thread.currentThread();
        for (final Session session : sessions)
        {
            session.offerSnapshot(payload, 0, payloadBytes);
        }
        outbound.flushDeferred();
        final long tick = ++ticksOffered;
        loop.execute(marker);
        while (ticksWritten < tick)
        {
            LockSupport.park(this);
        }
        return tick;
    }

    /**
     * @return the id of the event loop's thread, whose CPU time {@link SessionWriteCpuTime} reads.
     */
    long loopThreadId() throws Exception
    {
        return loop.submit(() -> Thread.currentThread().getId()).get();
    }

    /**
     * On the event loop, after the tick's drain task: every frame was written or queued.
     */
    private void onTickWritten()
    {
        ticksWritten = ticksOffered;
        LockSupport.unpark(benchmarkThread);
    }

}
