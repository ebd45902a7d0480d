package io.tickwire.bots;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.tickwire.api.GameType;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.InputCodec;
import io.tickwire.codec.MessageCodec;
import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.MessageReader;
import io.tickwire.codec.PongFlyweight;
import io.tickwire.codec.Sequence;
import io.tickwire.codec.SnapshotEncoder;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.PresenceEncoder;
import io.tickwire.codec.control.PresenceEntry;
import io.tickwire.codec.control.Welcome;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal Tickwire v2 server for testing the bots over real sockets on the loopback address. It welcomes every
 * join, of any room type, into the named room with {@link #SCHEMA}, {@link #INPUT_SCHEMA} and the message type
 * {@link #CHAT}, follows the welcome with the room's presence list and tells the room's other players of each join
 * and leave, and echoes every chat a client sends to every player of its room, the sender included. Each tick it
 * sends each client a snapshot of a small world of its own (an NPC moving steadily, the client's entity moved by its
 * inputs, and a visitor that enters and leaves the view every {@link #VISITOR_PERIOD_TICKS} ticks). As a real server
 * does, the first snapshot is full and the next ones are deltas against the newest snapshot the client acknowledged,
 * or full when there is none or it is older than {@link #HISTORY_WINDOW_TICKS} (a real server then sends a full one
 * only every few ticks, until the client acknowledges one; this one sends one every tick); a snapshot carries the
 * newest client message accepted until the client acknowledges a snapshot that carried it. It answers every ping at
 * once with a pong echoing its timestamp, and checks what the client sends: inputs, messages and their sequences,
 * acks and view ticks. One event loop thread, which owns the rooms; a behaviour makes it misbehave on purpose.
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
        CORRUPT_CHECKSUM,
        /** Skips a stream sequence number after the initial presence list. */
        STREAM_GAP,
        /**
         * Reads nothing from a connection for {@link #STALL_READS_MS} after its join, with a receive buffer of
         * {@link #STALLED_RECEIVE_BUFFER_BYTES}: a client that sends fast, with a small send buffer, fills its socket,
         * and its writes come back refused or cut short.
         */
        STALL_READS
    }

    static final long STALL_READS_MS = 1_000;
    static final int STALLED_RECEIVE_BUFFER_BYTES = 4096;

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

    /** Moves in -127..127, an aim in degrees, and a button bit set. */
    static final InputSchema INPUT_SCHEMA = new InputSchema(List.of(
        FieldDef.integer("moveX", -BotScript.MAX_MOVE, BotScript.MAX_MOVE),
        FieldDef.integer("moveY", -BotScript.MAX_MOVE, BotScript.MAX_MOVE),
        FieldDef.integer("aim", -180, 180),
        FieldDef.uint("buttons", 255)));

    /** Chat: clients send it, the room echoes it to every player of the room. */
    static final MessageType CHAT = MessageType.both(1, "chat", 10, 10, FieldDef.text("text", 64));

    static final GameType GAME = GameType.builder("fake")
        .entitySchema(SCHEMA)
        .inputSchema(INPUT_SCHEMA)
        .message(CHAT)
        .factory(room ->
        {
            throw new UnsupportedOperationException();
        })
        .build();

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
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger nextEntityId = new AtomicInteger(NPC_ENTITY_ID + 1);
    private final AtomicLong acksReceived = new AtomicLong();
    private final AtomicLong messagesReceived = new AtomicLong();
    private final Map<String, List<Session>> rooms = new HashMap<>();
    private final AtomicLong inputsReceived = new AtomicLong();
    private final AtomicLong pingsReceived = new AtomicLong();
    private final AtomicLong leavesReceived = new AtomicLong();
    private final AtomicLong violations = new AtomicLong();
    private final Map<String, AtomicInteger> joinsByRoom = new ConcurrentHashMap<>();
    private final Queue<String> offeredSubprotocols = new ConcurrentLinkedQueue<>();

    FakeServer(final Behaviour behaviour, final int tickRateHz) throws InterruptedException
    {
        this.behaviour = behaviour;
        this.tickRateHz = tickRateHz;
        final WebSocketServerProtocolConfig webSocketConfig = WebSocketServerProtocolConfig.newBuilder()
            .websocketPath("/ws")
            .subprotocols(WireFormat.SUBPROTOCOL)
            .handleCloseFrames(false)
            .build();
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(loopGroup)
            .channel(NioServerSocketChannel.class);
        if (behaviour == Behaviour.STALL_READS)
        {
            // Set on the listening socket, so accepted sockets have it from the start and announce a small window.
            bootstrap.option(ChannelOption.SO_RCVBUF, STALLED_RECEIVE_BUFFER_BYTES);
        }
        serverChannel = bootstrap
            .childHandler(new ChannelInitializer<Channel>()
            {
                protected void initChannel(final Channel channel)
                {
                    connections.add(channel);
                    channel.pipeline().addLast(
                        new HttpServerCodec(),
                        new HttpObjectAggregator(8192),
                        new ChannelInboundHandlerAdapter()
                        {
                            public void channelRead(final ChannelHandlerContext ctx, final Object message)
                            {
                                if (message instanceof FullHttpRequest)
                                {
                                    offeredSubprotocols.add(String.valueOf(((FullHttpRequest)message).headers()
                                        .get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)));
                                }
                                ctx.fireChannelRead(message);
                            }
                        },
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
     * @return LEAVEs received: a bot churned without resume leaves before it closes.
     */
    long leavesReceived()
    {
        return leavesReceived.get();
    }

    long pingsReceived()
    {
        return pingsReceived.get();
    }

    long acksReceived()
    {
        return acksReceived.get();
    }

    long messagesReceived()
    {
        return messagesReceived.get();
    }

    /**
     * @return messages from clients that broke the protocol: bad inputs, input sequences out of order, acks from the
     * future or going back, view ticks from the future, bad messages or message sequences.
     */
    long violations()
    {
        return violations.get();
    }

    Map<String, AtomicInteger> joinsByRoom()
    {
        return joinsByRoom;
    }

    /**
     * @return the {@code Sec-WebSocket-Protocol} header of every handshake, in arrival order ("null" when absent).
     */
    List<String> offeredSubprotocols()
    {
        return List.copyOf(offeredSubprotocols);
    }

    /**
     * Stops as a killed process does: no more connections, and every open one closed without a close frame.
     */
    void kill()
    {
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (final Channel connection : connections)
        {
            // Past the pipeline: the WebSocket handler would send a close frame first, which a dead process does not.
            connection.eventLoop().execute(() -> connection.unsafe().close(connection.unsafe().voidPromise()));
            connection.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
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
        private final InputCodec inputCodec = new InputCodec(INPUT_SCHEMA);
        private final MessageCodec messageCodec = new MessageCodec(GAME);
        private final MessageReader messageReader = new MessageReader();
        private final MessageEncoder messageEncoder = new MessageEncoder();
        private final PresenceEncoder presenceEncoder = new PresenceEncoder();
        private final int[] inputValues = new int[INPUT_SCHEMA.fieldCount()];
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[PresenceEncoder.MAX_MESSAGE_LENGTH]);
        private final ClientMessageFlyweight message = new ClientMessageFlyweight();
        private final PongFlyweight pong = new PongFlyweight();
        private final Frame[] history = new Frame[HISTORY];
        private final int[] npc = { MAX_POSITION / 2, MAX_POSITION / 2, MAX_SPEED / 2, 0, MAX_HP };
        private final int[] own = { MAX_POSITION / 4, MAX_POSITION / 4, 0, 0, MAX_HP };
        private final int[] visitor = { MAX_POSITION / 3, MAX_POSITION / 3, 0, 0, MAX_HP };
        private ChannelHandlerContext ctx;
        private ScheduledFuture<?> ticker;
        private int entityId;
        private int playerId;
        private String playerName;
        private String room;
        private int streamSeq;
        private int streamAcked;
        private int messageSeq;
        private int messageAckSince;
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
            leaveRoom();
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
                onInput(length);
            }
            else if (message.type() == WireFormat.TYPE_ACK)
            {
                onAck();
            }
            else if (message.type() == WireFormat.TYPE_MESSAGE)
            {
                onClientMessage(length);
            }
            else if (message.type() == WireFormat.TYPE_LEAVE)
            {
                leavesReceived.incrementAndGet();
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

            joinsByRoom.computeIfAbsent(join.room(), name -> new AtomicInteger()).incrementAndGet();
            if (behaviour == Behaviour.REFUSE_JOIN)
            {
                send(controlCodec.encode(new Notice(Notice.CODE_ROOM_FULL, 0, "full"), buffer, 0));
                return;
            }

            entityId = nextEntityId.getAndIncrement();
            playerId = entityId;
            playerName = join.player();
            room = join.room();
            final List<Session> members = rooms.computeIfAbsent(room, name -> new ArrayList<>());
            members.add(this);
            final Welcome welcome = new Welcome(entityId, tickRateHz, playerId, entityId, join.roomType(), room,
                HISTORY_WINDOW_TICKS, SCHEMA, INPUT_SCHEMA, List.of(CHAT), Map.of("mode", "test"), members.size());
            send(controlCodec.encode(welcome, buffer, 0));
            if (behaviour == Behaviour.STALL_READS)
            {
                ctx.channel().config().setAutoRead(false);
                ctx.executor().schedule(
                    () -> ctx.channel().config().setAutoRead(true), STALL_READS_MS, TimeUnit.MILLISECONDS);
            }

            int position = presenceEncoder.begin(buffer, 0, nextStreamSeq());
            for (final Session member : members)
            {
                position = putJoin(member, position);
            }
            send(position);
            if (behaviour == Behaviour.STREAM_GAP)
            {
                nextStreamSeq();
            }
            for (final Session member : members)
            {
                if (member != this)
                {
                    member.send(buffer, putJoin(this, presenceEncoder.begin(buffer, 0, member.nextStreamSeq())));
                }
            }

            final long periodNs = TimeUnit.SECONDS.toNanos(1) / tickRateHz;
            ticker = ctx.executor().scheduleAtFixedRate(this::onTick, periodNs, periodNs, TimeUnit.NANOSECONDS);
        }

        /**
         * Writes the presence JOIN entry of {@code member} in this session's buffer: even players are on team red,
         * odd ones on blue.
         */
        private int putJoin(final Session member, final int position)
        {
            final String team = member.playerId % 2 == 0 ? "red" : "blue";
            return presenceEncoder.putJoin(buffer, position, PresenceEntry.OP_JOIN, member.playerId, member.entityId,
                member.playerName, new String[]{ "team" }, new String[]{ team }, 1);
        }

        private int nextStreamSeq()
        {
            streamSeq = Sequence.next(streamSeq);
            return streamSeq;
        }

        private void leaveRoom()
        {
            final List<Session> members = room == null ? null : rooms.get(room);
            if (members != null && members.remove(this))
            {
                for (final Session member : members)
                {
                    final int position = presenceEncoder.begin(buffer, 0, member.nextStreamSeq());
                    final int reason = LeaveReason.values()[0].code();
                    member.send(buffer, presenceEncoder.putLeave(buffer, position, playerId, reason));
                }
            }
        }

        private void onInput(final int length)
        {
            inputsReceived.incrementAndGet();
            final int inputSeq = message.inputSeq();
            final int ack = message.ack();
            final boolean ackOutOfRange = Sequence.isNewer(ack, snapshotSeq) || Sequence.isNewer(ackedSeq, ack);
            final boolean viewTickOutOfRange = message.viewTick() > tick || message.viewTick() < 0;
            if (entityId == 0 || inputSeq != Sequence.next(lastInputSeq) || ackOutOfRange || viewTickOutOfRange ||
                inputCodec.decode(buffer, 0, length, inputValues) != ClientMessageError.NONE)
            {
                violations.incrementAndGet();
            }
            else
            {
                ackedSeq = ack;
            }
            lastInputSeq = inputSeq;
            moveX = inputValues[0];
            moveY = inputValues[1];
        }

        private void onAck()
        {
            acksReceived.incrementAndGet();
            final int messageAck = message.messageAck();
            if (Sequence.isNewer(messageAck, streamSeq) || Sequence.isNewer(streamAcked, messageAck))
            {
                violations.incrementAndGet();
            }
            streamAcked = messageAck;
        }

        /**
         * Checks a chat and echoes it to every player of the room, the sender included.
         */
        private void onClientMessage(final int length)
        {
            messagesReceived.incrementAndGet();
            if (messageCodec.validateClient(buffer, 0, length) != ClientMessageError.NONE ||
                message.messageSeq() != Sequence.next(messageSeq))
            {
                violations.incrementAndGet();
                return;
            }
            messageSeq = message.messageSeq();
            messageAckSince = Sequence.NONE;
            final String text = messageReader.wrap(
                messageCodec.type(), buffer, messageCodec.fieldsOffset(), messageCodec.fieldsLength()).getText(0);
            for (final Session member : rooms.get(room))
            {
                messageEncoder.begin(CHAT).putText(0, text);
                member.send(buffer, messageEncoder.encodeRoomMessage(buffer, 0, member.nextStreamSeq()));
            }
        }

        /**
         * @return the newest message accepted, until the client acknowledges a snapshot that carried it; else none.
         */
        private int messageAck()
        {
            if (messageSeq == Sequence.NONE ||
                (messageAckSince != Sequence.NONE && !Sequence.isNewer(messageAckSince, ackedSeq)))
            {
                return Sequence.NONE;
            }
            if (messageAckSince == Sequence.NONE)
            {
                messageAckSince = snapshotSeq;
            }
            return messageSeq;
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
                baseline == null ? 0 : baseline.tick, lastInputSeq, true, messageAck());
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
            own[FIELD_VX] = moveX * MAX_SPEED / BotScript.MAX_MOVE;
            own[FIELD_VY] = moveY * MAX_SPEED / BotScript.MAX_MOVE;
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
            send(buffer, length);
        }

        /**
         * Sends {@code length} bytes of {@code source}, which may be another session's buffer: every session runs on
         * the server's one event loop.
         */
        private void send(final UnsafeBuffer source, final int length)
        {
            final ByteBuf payload = ctx.alloc().buffer(length);
            payload.writeBytes(source.byteArray(), 0, length);
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
