package io.tickwire.bots;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.Sequence;
import io.tickwire.codec.SnapshotFlyweight;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.Welcome;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal Tickwire server for testing the bots over real sockets on the loopback address: it welcomes every
 * join, sends each client a snapshot per tick with the client's entity and one other, and checks what the client
 * sends. One event loop thread; a behaviour makes it misbehave on purpose.
 */
final class FakeServer implements AutoCloseable
{
    enum Behaviour
    {
        /** Plays by the rules. */
        CORRECT,
        /** Leaves the client's own entity out of every snapshot. */
        OMIT_OWN_ENTITY,
        /** Answers every join with a notice. */
        REFUSE_JOIN,
        /** Never answers a close frame, so the client has to cut the connection. */
        IGNORE_CLOSE
    }

    private static final int NPC_ENTITY_ID = 1;

    private final Behaviour behaviour;
    private final int tickRateHz;
    private final MultiThreadIoEventLoopGroup loopGroup =
        new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel serverChannel;
    private final AtomicInteger nextEntityId = new AtomicInteger(NPC_ENTITY_ID + 1);
    private final AtomicLong inputsReceived = new AtomicLong();
    private final AtomicLong violations = new AtomicLong();
    private final Map<String, AtomicInteger> joinsByRoom = new ConcurrentHashMap<>();

    FakeServer(final Behaviour behaviour, final int tickRateHz) throws InterruptedException
    {
        this.behaviour = behaviour;
        this.tickRateHz = tickRateHz;
        final WebSocketServerProtocolConfig webSocketConfig = WebSocketServerProtocolConfig.newBuilder()
            .websocketPath("/ws")
            .subprotocols(WireFormat.SUBPROTOCOL)
            .handleCloseFrames(false)
            .build();
        serverChannel = new ServerBootstrap()
            .group(loopGroup)
            .channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<Channel>()
            {
                protected void initChannel(final Channel channel)
                {
                    channel.pipeline().addLast(
                        new HttpServerCodec(),
                        new HttpObjectAggregator(8192),
                        new WebSocketServerProtocolHandler(webSocketConfig),
                        new Session());
                }
            })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    }

    URI url()
    {
        return URI.create("ws://127.0.0.1:" + ((InetSocketAddress)serverChannel.localAddress()).getPort() + "/ws");
    }

    long inputsReceived()
    {
        return inputsReceived.get();
    }

    /**
     * @return messages from clients that broke the protocol: bad inputs, sequences out of order, acks from the future.
     */
    long violations()
    {
        return violations.get();
    }

    Map<String, AtomicInteger> joinsByRoom()
    {
        return joinsByRoom;
    }

    public void close()
    {
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        loopGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private final class Session extends ChannelInboundHandlerAdapter
    {
        private final ControlCodec controlCodec = new ControlCodec();
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        private final ClientMessageFlyweight message = new ClientMessageFlyweight();
        private ChannelHandlerContext ctx;
        private ScheduledFuture<?> ticker;
        private int entityId;
        private int snapshotSeq;
        private int lastInputSeq;

        public void handlerAdded(final ChannelHandlerContext ctx)
        {
            this.ctx = ctx;
        }

        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            try
            {
                if (msg instanceof BinaryWebSocketFrame)
                {
                    onMessage(((BinaryWebSocketFrame)msg).content());
                }
                else if (msg instanceof CloseWebSocketFrame && behaviour != Behaviour.IGNORE_CLOSE)
                {
                    stopTicking();
                    ctx.writeAndFlush(new CloseWebSocketFrame(((CloseWebSocketFrame)msg).statusCode(), ""))
                        .addListener(future -> ctx.close());
                }
            }
            finally
            {
                ReferenceCountUtil.release(msg);
            }
        }

        public void channelInactive(final ChannelHandlerContext ctx)
        {
            stopTicking();
        }

        private void onMessage(final ByteBuf content)
        {
            final int length = content.readableBytes();
            if (length > buffer.capacity())
            {
                violations.incrementAndGet();
                return;
            }
            content.getBytes(content.readerIndex(), buffer.byteArray(), 0, length);
            message.wrap(buffer, 0, length);
            if (message.validate() != ClientMessageError.NONE)
            {
                violations.incrementAndGet();
            }
            else if (message.type() == WireFormat.TYPE_JOIN)
            {
                onJoin((JoinRequest)controlCodec.decode(buffer, 0, length));
            }
            else if (message.type() == WireFormat.TYPE_INPUT)
            {
                onInput();
            }
            else
            {
                violations.incrementAndGet();
            }
        }

        private void onJoin(final JoinRequest join)
        {
            if (join == null || entityId != 0)
            {
                violations.incrementAndGet();
                return;
            }

            joinsByRoom.computeIfAbsent(join.room(), room -> new AtomicInteger()).incrementAndGet();
            if (behaviour == Behaviour.REFUSE_JOIN)
            {
                send(controlCodec.encode(new Notice(Notice.CODE_ROOM_FULL, 0, "full"), buffer, 0));
                return;
            }

            entityId = nextEntityId.getAndIncrement();
            send(controlCodec.encode(new Welcome(entityId, tickRateHz, entityId, join.room(), 1000, 1000), buffer, 0));
            final long periodNs = TimeUnit.SECONDS.toNanos(1) / tickRateHz;
            ticker = ctx.executor().scheduleAtFixedRate(this::onTick, periodNs, periodNs, TimeUnit.NANOSECONDS);
        }

        private void onInput()
        {
            inputsReceived.incrementAndGet();
            final int inputSeq = message.inputSeq();
            final boolean ackFromTheFuture = Sequence.isNewer(message.ack(), snapshotSeq);
            if (entityId == 0 || inputSeq != Sequence.next(lastInputSeq) || ackFromTheFuture)
            {
                violations.incrementAndGet();
            }
            lastInputSeq = inputSeq;
        }

        private void onTick()
        {
            snapshotSeq = Sequence.next(snapshotSeq);
            final boolean withOwn = behaviour != Behaviour.OMIT_OWN_ENTITY;
            final int count = withOwn ? 2 : 1;
            final int length = SnapshotFlyweight.encodedLength(count);
            final SnapshotFlyweight snapshot = new SnapshotFlyweight().wrap(buffer, 0, length);
            snapshot.header(snapshotSeq, snapshotSeq, 0, lastInputSeq, count);
            snapshot.entity(0, NPC_ENTITY_ID, 0, 100, 1600, 1600);
            if (withOwn)
            {
                snapshot.entity(1, entityId, 1, 100, 3200, 3200);
            }
            send(length);
        }

        private void send(final int length)
        {
            final ByteBuf payload = ctx.alloc().buffer(length);
            payload.writeBytes(buffer.byteArray(), 0, length);
            ctx.writeAndFlush(new BinaryWebSocketFrame(payload));
        }

        private void stopTicking()
        {
            if (ticker != null)
            {
                ticker.cancel(false);
            }
        }
    }
}
