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
import io.tickwire.codec.PongFlyweight;
import io.tickwire.codec.Sequence;
import io.tickwire.codec.SnapshotEncoder;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.Welcome;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal Tickwire server for testing the bots over real sockets on the loopback address: it welcomes every
 * join with {@link #SCHEMA}, and each tick sends each client a snapshot of a small world of its own (an NPC moving
 * steadily, the client's entity moved by its inputs, and a visitor that enters and leaves the view every
 * {@link #VISITOR_PERIOD_TICKS} ticks). As a real server does, the first snapshot is full and the next ones are
 * deltas against the newest snapshot the client acknowledged, or full when that is older than
 * {@link #HISTORY_WINDOW_TICKS}. It answers every ping at once with a pong echoing its timestamp, and checks what
 * the client sends. One event loop thread; a behaviour makes it misbehave on purpose.
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
        IGNORE_CLOSE,
        /** Sends a wrong view checksum in every {@link #CORRUPT_CHECKSUM_EVERY}th snapshot. */
        CORRUPT_CHECKSUM
    }

    static final int FIELD_X = 0;
    static final int FIELD_Y = 1;
    static final int FIELD_VX = 2;
    static final int FIELD_VY = 3;
    static final int FIELD_HP = 4;
    static final int STEPS_PER_UNIT = 16;
    static final int MAX_POSITION = 1000 * STEPS_PER_UNIT;
    static final int MAX_SPEED = STEPS_PER_UNIT;
    static final int MAX_HP = 100;

    /** Position, velocity (which predicts position) and hit points. */
    static final EntitySchema SCHEMA = new EntitySchema(List.of(
        FieldDef.fixed("x", 0, MAX_POSITION, STEPS_PER_UNIT, FIELD_VX, FieldRole.POSITION_X),
        FieldDef.fixed("y", 0, MAX_POSITION, STEPS_PER_UNIT, FIELD_VY, FieldRole.POSITION_Y),
        FieldDef.fixed("vx", -MAX_SPEED, MAX_SPEED, STEPS_PER_UNIT, FieldDef.NO_PREDICTOR, FieldRole.NONE),
        FieldDef.fixed("vy", -MAX_SPEED, MAX_SPEED, STEPS_PER_UNIT, FieldDef.NO_PREDICTOR, FieldRole.NONE),
        FieldDef.uint("hp", MAX_HP)));

    static final int HISTORY_WINDOW_TICKS = 16;
    static final int VISITOR_PERIOD_TICKS = 10;
    static final int CORRUPT_CHECKSUM_EVERY = 10;

    private static final int FIELD_COUNT = SCHEMA.fieldCount();
    private static final int NPC_ENTITY_ID = 1;
    private static final int VISITOR_ENTITY_ID = 1_000_000;
    private static final int MAX_VIEW = 3;
    private static final int HISTORY = 32;
    private static final int HISTORY_MASK = HISTORY - 1;

    private final Behaviour behaviour;
    private final int tickRateHz;
    private final MultiThreadIoEventLoopGroup loopGroup =
        new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel serverChannel;
    private final AtomicInteger nextEntityId = new AtomicInteger(NPC_ENTITY_ID + 1);
    private final AtomicLong inputsReceived = new AtomicLong();
    private final AtomicLong pingsReceived = new AtomicLong();
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

    long pingsReceived()
    {
        return pingsReceived.get();
    }

    /**
     * @return messages from clients that broke the protocol: bad inputs, input sequences out of order, acks from the
     * future or going back.
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
        private final SnapshotEncoder encoder = new SnapshotEncoder(SCHEMA);
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        private final ClientMessageFlyweight message = new ClientMessageFlyweight();
        private final PongFlyweight pong = new PongFlyweight();
        private final Frame[] history = new Frame[HISTORY];
        private final int[] npc = { MAX_POSITION / 2, MAX_POSITION / 2, MAX_SPEED / 2, 0, MAX_HP };
        private final int[] own = { MAX_POSITION / 4, MAX_POSITION / 4, 0, 0, MAX_HP };
        private final int[] visitor = { MAX_POSITION / 3, MAX_POSITION / 3, 0, 0, MAX_HP };
        private ChannelHandlerContext ctx;
        private ScheduledFuture<?> ticker;
        private int entityId;
        private int tick;
        private int snapshotSeq;
        private int ackedSeq;
        private int lastInputSeq;
        private int moveX;
        private int moveY;

        Session()
        {
            for (int i = 0; i < HISTORY; i++)
            {
                history[i] = new Frame();
            }
        }

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
            if (length > WireFormat.MAX_CLIENT_MESSAGE_LENGTH)
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
            else if (message.type() == WireFormat.TYPE_PING)
            {
                pingsReceived.incrementAndGet();
                send(pong.wrap(buffer, 0).encode(message.pingTimestamp()));
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
            final Welcome welcome =
                new Welcome(entityId, tickRateHz, entityId, join.room(), HISTORY_WINDOW_TICKS, SCHEMA);
            send(controlCodec.encode(welcome, buffer, 0));
            final long periodNs = TimeUnit.SECONDS.toNanos(1) / tickRateHz;
            ticker = ctx.executor().scheduleAtFixedRate(this::onTick, periodNs, periodNs, TimeUnit.NANOSECONDS);
        }

        private void onInput()
        {
            inputsReceived.incrementAndGet();
            final int inputSeq = message.inputSeq();
            final int ack = message.ack();
            final boolean ackOutOfRange = Sequence.isNewer(ack, snapshotSeq) || Sequence.isNewer(ackedSeq, ack);
            if (entityId == 0 || inputSeq != Sequence.next(lastInputSeq) || ackOutOfRange)
            {
                violations.incrementAndGet();
            }
            else
            {
                ackedSeq = ack;
            }
            lastInputSeq = inputSeq;
            moveX = message.moveX();
            moveY = message.moveY();
        }

        private void onTick()
        {
            tick++;
            step();

            final Frame baseline = baseline();
            snapshotSeq = Sequence.next(snapshotSeq);
            final Frame frame = history[snapshotSeq & HISTORY_MASK];
            frame.seq = snapshotSeq;
            frame.tick = tick;
            frame.count = 0;
            frame.add(NPC_ENTITY_ID, npc);
            if (behaviour != Behaviour.OMIT_OWN_ENTITY)
            {
                frame.add(entityId, own);
            }
            if ((tick / VISITOR_PERIOD_TICKS) % 2 == 0)
            {
                frame.add(VISITOR_ENTITY_ID, visitor);
            }

            encoder.begin(
                buffer, 0, tick, snapshotSeq, baseline == null ? Sequence.NONE : baseline.seq,
                baseline == null ? 0 : baseline.tick, lastInputSeq, true);
            encode(baseline, frame);
            final int length = encoder.finish();
            if (behaviour == Behaviour.CORRUPT_CHECKSUM && snapshotSeq % CORRUPT_CHECKSUM_EVERY == 0)
            {
                buffer.putByte(length - 1, (byte)~buffer.getByte(length - 1));
            }
            send(length);
        }

        private void step()
        {
            npc[FIELD_X] += npc[FIELD_VX];
            if (npc[FIELD_X] < 0 || npc[FIELD_X] > MAX_POSITION)
            {
                npc[FIELD_VX] = -npc[FIELD_VX];
                npc[FIELD_X] = Math.max(0, Math.min(MAX_POSITION, npc[FIELD_X]));
            }
            own[FIELD_VX] = moveX * MAX_SPEED / ClientMessageFlyweight.MAX_MOVE;
            own[FIELD_VY] = moveY * MAX_SPEED / ClientMessageFlyweight.MAX_MOVE;
            own[FIELD_X] = Math.max(0, Math.min(MAX_POSITION, own[FIELD_X] + own[FIELD_VX]));
            own[FIELD_Y] = Math.max(0, Math.min(MAX_POSITION, own[FIELD_Y] + own[FIELD_VY]));
            visitor[FIELD_HP] = tick % (MAX_HP + 1);
        }

        /**
         * @return the newest snapshot the client acknowledged while it is within the history window, else null.
         */
        private Frame baseline()
        {
            final Frame acked = history[ackedSeq & HISTORY_MASK];
            final boolean usable =
                ackedSeq != Sequence.NONE && acked.seq == ackedSeq && tick - acked.tick <= HISTORY_WINDOW_TICKS;
            return usable ? acked : null;
        }

        /**
         * Merge-walks the baseline and the new view by id: enter, update or remove.
         */
        private void encode(final Frame baseline, final Frame frame)
        {
            final int baseCount = baseline == null ? 0 : baseline.count;
            int b = 0;
            int c = 0;
            while (b < baseCount || c < frame.count)
            {
                if (c == frame.count || (b < baseCount && baseline.ids[b] < frame.ids[c]))
                {
                    encoder.remove(baseline.ids[b++]);
                }
                else if (b == baseCount || frame.ids[c] < baseline.ids[b])
                {
                    encoder.enter(frame.ids[c], frame.values, c * FIELD_COUNT);
                    c++;
                }
                else
                {
                    encoder.update(frame.ids[c], frame.values, c * FIELD_COUNT, baseline.values, b * FIELD_COUNT);
                    b++;
                    c++;
                }
            }
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

    /**
     * One snapshot sent to a client, kept as a possible baseline: ids ascending and their values row by row.
     */
    private static final class Frame
    {
        private final int[] ids = new int[MAX_VIEW];
        private final int[] values = new int[MAX_VIEW * FIELD_COUNT];
        private int seq = Sequence.NONE;
        private int tick;
        private int count;

        private void add(final int id, final int[] entity)
        {
            ids[count] = id;
            System.arraycopy(entity, 0, values, count * FIELD_COUNT, FIELD_COUNT);
            count++;
        }
    }
}
