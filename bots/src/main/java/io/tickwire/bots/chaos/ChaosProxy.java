package io.tickwire.bots.chaos;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy that injects faults between clients and a server, for chaos tests: it listens on a loopback port and
 * opens one upstream connection per client connection. Every chunk of bytes is delayed by the latency (plus
 * jitter, order kept), and each fault period some connections are reset, stalled or made half-open, as
 * {@link ChaosFaults} says. A side that closes normally has the other side closed once what it sent is forwarded;
 * but the client side of a half-open connection is ignored, so only the server closing ends it.
 * <pre>
 *   client --TCP--> [accepted channel] --latency queue--> [upstream channel] --TCP--> server
 *          <--------                    <--latency queue--                  <--------
 * </pre>
 * One event loop thread runs every channel, queue and fault draw, so no state is shared between threads; the
 * counters are read by any thread.
 */
public final class ChaosProxy implements AutoCloseable
{
    private final ChaosFaults faults;
    private final InetSocketAddress target;
    private final EventLoopGroup group;
    private final Channel listener;
    private final List<Link> links = new ArrayList<>();
    private final SplittableRandom random;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private final AtomicLong stalls = new AtomicLong();
    private final AtomicLong halfOpens = new AtomicLong();
    private final AtomicLong halfOpensClosedByServer = new AtomicLong();

    private ChaosProxy(final InetSocketAddress target, final ChaosFaults faults) throws InterruptedException
    {
        this.target = target;
        this.faults = faults;
        this.random = new SplittableRandom(faults.seed());
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("chaos-proxy"),
            NioIoHandler.newFactory());
        this.listener = new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                protected void initChannel(final SocketChannel channel)
                {
                    onAccepted(channel);
                }
            })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
        group.next().scheduleAtFixedRate(
            this::drawFaults, faults.faultPeriodNs(), faults.faultPeriodNs(), TimeUnit.NANOSECONDS);
    }

    /**
     * Starts a proxy on an ephemeral loopback port in front of {@code target}.
     */
    public static ChaosProxy start(final InetSocketAddress target, final ChaosFaults faults)
        throws InterruptedException
    {
        return new ChaosProxy(target, faults);
    }

    /**
     * @return the loopback port clients connect to.
     */
    public int port()
    {
        return ((InetSocketAddress)listener.localAddress()).getPort();
    }

    public long connections()
    {
        return connections.get();
    }

    public long resets()
    {
        return resets.get();
    }

    public long stalls()
    {
        return stalls.get();
    }

    public long halfOpens()
    {
        return halfOpens.get();
    }

    /**
     * @return half-open connections that ended because the server closed its side. Nothing else ends one before
     * {@link #close()}: the proxy ignores the client side of a half-open connection, closed or not.
     */
    public long halfOpensClosedByServer()
    {
        return halfOpensClosedByServer.get();
    }

    /**
     * Stops accepting and closes every connection through the proxy.
     */
    public void close()
    {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void onAccepted(final SocketChannel client)
    {
        connections.incrementAndGet();
        final Link link = new Link(client);
        final ChannelFuture connect = new Bootstrap()
            .group(client.eventLoop())
            .channel(NioSocketChannel.class)
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(link.serverSide)
            .connect(target);
        link.server = connect.channel();
        client.pipeline().addLast(link.clientSide);
        connect.addListener(done ->
        {
            if (done.isSuccess() && client.isActive())
            {
                links.add(link);
                link.updateReading();
            }
            else
            {
                link.closeBoth();
            }
        });
    }

    /**
     * Each fault period, on the event loop: each connection not already faulted draws at most one fault.
     */
    private void drawFaults()
    {
        final double periodSeconds = faults.faultPeriodNs() / (double)TimeUnit.SECONDS.toNanos(1);
        final double resetBelow = faults.resetsPerSecond() * periodSeconds;
        final double stallBelow = resetBelow + faults.stallsPerSecond() * periodSeconds;
        final double halfOpenBelow = stallBelow + faults.halfOpensPerSecond() * periodSeconds;
        for (int i = links.size() - 1; i >= 0; i--)
        {
            final Link link = links.get(i);
            if (link.stalled || link.halfOpen)
            {
                continue;
            }
            final double draw = random.nextDouble();
            if (draw < resetBelow)
            {
                resets.incrementAndGet();
                link.reset();
            }
            else if (draw < stallBelow)
            {
                stalls.incrementAndGet();
                link.stall(faults.stallNs());
            }
            else if (draw < halfOpenBelow)
            {
                halfOpens.incrementAndGet();
                link.halfOpen();
            }
        }
    }

    private long delayNs()
    {
        return faults.latencyNs() + (faults.jitterNs() > 0 ? random.nextLong(faults.jitterNs() + 1) : 0);
    }

    /**
     * One client connection and its upstream connection. Event loop only.
     */
    private final class Link
    {
        private final Channel client;
        private Channel server;
        private final Direction clientSide = new Direction(true);
        private final Direction serverSide = new Direction(false);
        private boolean stalled;
        private boolean halfOpen;
        private boolean closed;

        Link(final Channel client)
        {
            this.client = client;
        }

        /**
         * Reads from each side while nothing stops it: no stall, no half-open for that side, and the other side
         * takes more writes.
         */
        void updateReading()
        {
            client.config().setAutoRead(!stalled && !halfOpen && server.isWritable());
            server.config().setAutoRead(!stalled && client.isWritable());
            if (client.config().isAutoRead())
            {
                client.read();
            }
            if (server.config().isAutoRead())
            {
                server.read();
            }
        }

        void stall(final long stallNs)
        {
            stalled = true;
            updateReading();
            client.eventLoop().schedule(() ->
            {
                stalled = false;
                if (!closed)
                {
                    updateReading();
                }
            }, stallNs, TimeUnit.NANOSECONDS);
        }

        void halfOpen()
        {
            halfOpen = true;
            updateReading();
        }

        void reset()
        {
            client.config().setOption(ChannelOption.SO_LINGER, 0);
            server.config().setOption(ChannelOption.SO_LINGER, 0);
            closeBoth();
        }

        void closeBoth()
        {
            if (!closed)
            {
                closed = true;
                links.remove(this);
                clientSide.releaseQueued();
                serverSide.releaseQueued();
            }
            client.close();
            if (server != null)
            {
                server.close();
            }
        }

        /**
         * The handler of one side's channel: what it reads is queued with its release time and written to the
         * other side when due, in order.
         */
        private final class Direction extends ChannelInboundHandlerAdapter
        {
            private final boolean fromClient;
            private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
            private final ArrayDeque<Long> releaseAtNs = new ArrayDeque<>();
            private ScheduledFuture<?> flushTask;
            private boolean inputEnded;

            Direction(final boolean fromClient)
            {
                this.fromClient = fromClient;
            }

            private Channel destination()
            {
                return fromClient ? server : client;
            }

            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
            {
                if (closed || (halfOpen && (fromClient || faults.halfOpenDownlink())))
                {
                    ReferenceCountUtil.release(msg);
                    return;
                }
                final long nowNs = System.nanoTime();
                final long previousNs = releaseAtNs.isEmpty() ? nowNs : releaseAtNs.peekLast();
                queued.add((ByteBuf)msg);
                releaseAtNs.add(Math.max(previousNs, nowNs + delayNs()));
                scheduleFlush(nowNs);
            }

            public void channelWritabilityChanged(final ChannelHandlerContext ctx)
            {
                if (!closed)
                {
                    updateReading();
                }
                ctx.fireChannelWritabilityChanged();
            }

            public void channelInactive(final ChannelHandlerContext ctx)
            {
                if (fromClient && halfOpen)
                {
                    return;
                }
                if (halfOpen && !closed)
                {
                    halfOpensClosedByServer.incrementAndGet();
                }
                inputEnded = true;
                if (queued.isEmpty())
                {
                    closeBoth();
                }
            }

            public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
            {
                if (!(fromClient && halfOpen))
                {
                    closeBoth();
                }
            }

            private void scheduleFlush(final long nowNs)
            {
                if (flushTask == null && !queued.isEmpty())
                {
                    flushTask = client.eventLoop().schedule(
                        this::flushDue, Math.max(0, releaseAtNs.peekFirst() - nowNs), TimeUnit.NANOSECONDS);
                }
            }

            private void flushDue()
            {
                flushTask = null;
                if (closed)
                {
                    return;
                }
                final long nowNs = System.nanoTime();
                boolean wrote = false;
                while (!queued.isEmpty() && releaseAtNs.peekFirst() <= nowNs)
                {
                    releaseAtNs.pollFirst();
                    destination().write(queued.pollFirst(), destination().voidPromise());
                    wrote = true;
                }
                if (wrote)
                {
                    destination().flush();
                }
                if (queued.isEmpty() && inputEnded)
                {
                    closeBoth();
                }
                scheduleFlush(nowNs);
            }

            void releaseQueued()
            {
                ByteBuf buffer;
                while ((buffer = queued.pollFirst()) != null)
                {
                    buffer.release();
                }
                releaseAtNs.clear();
                if (flushTask != null)
                {
                    flushTask.cancel(false);
                    flushTask = null;
                }
            }
        }
    }
}
