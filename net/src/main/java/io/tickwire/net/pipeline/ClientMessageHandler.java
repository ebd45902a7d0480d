package io.tickwire.net.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.tickwire.api.GameType;
import io.tickwire.api.LeaveReason;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.sim.JoinOptionValues;
import io.tickwire.sim.JoinTicket;
import io.tickwire.net.DrainEvent;
import io.tickwire.net.Gateway;
import io.tickwire.net.NetCounters;
import io.tickwire.net.ReservedSeat;
import io.tickwire.net.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last inbound handler of a WebSocket connection: checks each client message as hostile input, keeps the
 * connection's protocol state, and publishes joins, inputs, game messages, acks and leaves into the owning shard's
 * ring. One instance per channel, called only on the channel's event loop.
 * <pre>
 *   CONNECTED --join (known room type, declared options), or resume--> JOINED --leave--> closed (1000)
 *   JOINED: input values checked against the game's input schema, messages against their type's schema, the
 *           client's message sequence and the type's rate; acks and pings' acks passed on
 *   any violation: counter by reason, close frame with a status code, channel closed, no seat kept for a resume
 *   draining: a join is answered with NOTICE 12 and close 1001; at the drain's sweep an open session gets the same
 *           (the notice only if it had asked to join), any other connection is closed
 * </pre>
 * Clustered, a connection was opened for one seat reservation (or for a resume): a JOIN that does not match it (see
 * {@link ReservedSeat#admits}) is answered with NOTICE 4 and close 4008 RESERVATION_MISMATCH; the ticket of one that
 * does carries the reservation's id, which the room reports seated.
 * A RESUME goes to the shard of the room it names, which holds the seat and its token: no table is shared between
 * event loops and shards.
 * Every frame was already charged to the connection's budget by {@link FrameGuard}, before this handler (or Netty's
 * ping answer) sees it. Whole binary frames usually come straight from the {@link BinaryFrameFastPath}
 * ({@link #onBinaryMessage}), every other frame through the pipeline ({@link #channelRead0}); both are checked alike. A full ring never blocks: a refused
 * join is answered with a notice and a close (1013), a refused input with a notice carrying its sequence when the
 * connection can take it, a refused leave with a close (the shard drops closed links by itself). A join for a shard
 * that has failed is refused with NOTICE SERVER_ERROR and close 1011.
 */
public final class ClientMessageHandler extends SimpleChannelInboundHandler<WebSocketFrame>
    implements BinaryFrameFastPath.Sink
{
    private static final Logger LOGGER = LoggerFactory.getLogger(ClientMessageHandler.class);
    private static final int NO_SHARD = -1;
    private static final String DRAINING_REASON = "server draining";

    private final Gateway gateway;
    private final NetCounters counters;
    private Session session;
    private int shard = NO_SHARD;
    private ConnectionGame game;
    private boolean idle;

    public ClientMessageHandler(final Gateway gateway)
    {
        this.gateway = gateway;
        this.counters = gateway.counters();
    }

    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
    {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete)
        {
            counters.handshakes.incrementAndGet();
            session = gateway.newSession(ctx.channel());
        }
        else if (event == DrainEvent.SWEEP)
        {
            onDrainSweep(ctx);
        }
        else if (event == FrameGuard.VIOLATION)
        {
            if (session != null)
            {
                session.markNoResume();
            }
        }
        else if (event == FrameGuard.CLOSE_FRAME_WRITTEN)
        {
            if (session != null)
            {
                session.onCloseFrameWritten();
            }
        }
        else if (event instanceof IdleStateEvent)
        {
            counters.idleTimeouts.incrementAndGet();
            idle = true;
            if (session != null)
            {
                session.markIdle();
                closeWith(CloseCodes.GOING_AWAY, "idle timeout");
            }
            else
            {
                ctx.close();
            }
        }
        else if (event == NotReadingGuard.NOT_READING)
        {
            counters.notReadingCloses.incrementAndGet();
            counters.violations.record("NOT_READING", ctx.channel().remoteAddress());
            if (session != null)
            {
                closeWith(CloseCodes.NOT_READING, "not reading");
            }
            else
            {
                ctx.close();
            }
        }
        else
        {
            super.userEventTriggered(ctx, event);
        }
    }

    protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame)
    {
        if (session == null || !session.isOpen())
        {
            return;
        }
        if (frame instanceof TextWebSocketFrame)
        {
            violation(ctx, ClientMessageError.TEXT_FRAME, CloseCodes.UNSUPPORTED_DATA, "binary frames only");
            return;
        }
        if (!(frame instanceof BinaryWebSocketFrame) || !frame.isFinalFragment())
        {
            violation(ctx, ClientMessageError.FRAGMENTED, CloseCodes.PROTOCOL_ERROR, "one message per frame");
            return;
        }
        final ByteBuf content = frame.content();
        onMessageBytes(ctx, content, content.readerIndex(), content.readableBytes());
    }

    /**
     * A whole binary frame taken by the {@link BinaryFrameFastPath}, already charged to the frame budget.
     */
    public void onBinaryMessage(
        final ChannelHandlerContext ctx, final ByteBuf buffer, final int index, final int length)
    {
        if (session != null && session.isOpen())
        {
            onMessageBytes(ctx, buffer, index, length);
        }
    }

    private void onMessageBytes(
        final ChannelHandlerContext ctx, final ByteBuf buffer, final int index, final int length)
    {
        final InboundCodec codec = InboundCodec.current();
        final ClientMessageFlyweight message = codec.wrap(buffer, index, length);
        final ClientMessageError error = message.validate();
        if (error != ClientMessageError.NONE)
        {
            violation(ctx, error, CloseCodes.PROTOCOL_ERROR, error.name());
            return;
        }

        switch (message.type())
        {
            case WireFormat.TYPE_INPUT:
                onInput(ctx, codec, message);
                break;
            case WireFormat.TYPE_MESSAGE:
                onMessage(ctx, codec, message);
                break;
            case WireFormat.TYPE_ACK:
                onAck(ctx, message);
                break;
            case WireFormat.TYPE_PING:
                onPing(codec, message);
                break;
            case WireFormat.TYPE_JOIN:
                onJoin(ctx, codec, message);
                break;
            default:
                onLeave(ctx, message);
                break;
        }
    }

    /**
     * Tells the session when its outbound buffer goes over its high-water mark and when it drained: its shard
     * conflates the client's snapshots meanwhile. The {@link ReadDriver} stops reading from the connection meanwhile
     * (a client that does not read cannot make the server queue replies, pongs or Netty's answers to WebSocket pings,
     * without bound), and if it stays stalled the {@link NotReadingGuard} closes it (4006).
     */
    public void channelWritabilityChanged(final ChannelHandlerContext ctx) throws Exception
    {
        if (session != null)
        {
            session.onWritabilityChanged();
        }
        super.channelWritabilityChanged(ctx);
    }

    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        if (session != null)
        {
            counters.sessionsClosed.incrementAndGet();
            session.markClosing();
            if (shard != NO_SHARD)
            {
                gateway.ring(shard).tryPublishClosed(session, idle ? LeaveReason.IDLE : LeaveReason.DISCONNECTED);
                shard = NO_SHARD;
            }
            session.writeOutbound();
        }
        super.channelInactive(ctx);
    }

    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (LOGGER.isDebugEnabled())
        {
            LOGGER.debug("closing {} after {}", ctx.channel(), cause.toString());
        }
        ctx.close();
    }

    private void onInput(
        final ChannelHandlerContext ctx, final InboundCodec codec, final ClientMessageFlyweight message)
    {
        if (shard == NO_SHARD)
        {
            violation(ctx, ClientMessageError.UNEXPECTED, CloseCodes.PROTOCOL_ERROR, "input before join");
            return;
        }
        final ClientMessageError error = game.decodeInput(message, codec.inputValues);
        if (error != ClientMessageError.NONE)
        {
            violation(ctx, error, CloseCodes.PROTOCOL_ERROR, error.name());
            return;
        }
        if (!gateway.ring(shard).tryPublishInput(session, message, codec.inputValues))
        {
            counters.inputsRefusedBusy.incrementAndGet();
            if (session.isWritable())
            {
                sendNotice(codec, new Notice(Notice.CODE_INPUT_REFUSED, message.inputSeq(), "server busy"));
            }
        }
    }

    /**
     * A game message: checked against its type's schema, the client's message sequence and the type's budget, then
     * handed to the shard. A message the ring refuses is not accepted: the connection is closed (1013) rather than
     * leave a gap in the client's message sequence.
     */
    private void onMessage(
        final ChannelHandlerContext ctx, final InboundCodec codec, final ClientMessageFlyweight message)
    {
        if (shard == NO_SHARD)
        {
            violation(ctx, ClientMessageError.UNEXPECTED, CloseCodes.PROTOCOL_ERROR, "message before join");
            return;
        }
        final ClientMessageError error = game.checkMessage(message);
        if (error != ClientMessageError.NONE)
        {
            final boolean rate = error == ClientMessageError.MESSAGE_RATE_LIMITED;
            violation(ctx, error, rate ? CloseCodes.POLICY_VIOLATION : CloseCodes.PROTOCOL_ERROR, error.name());
            return;
        }
        if (gateway.ring(shard).tryPublishMessage(session, message, game.messageCodec()))
        {
            game.onMessageAccepted(message);
        }
        else
        {
            counters.messagesRefusedBusy.incrementAndGet();
            sendNotice(codec, new Notice(Notice.CODE_SERVER_BUSY, message.messageSeq(), "server busy"));
            closeWith(CloseCodes.TRY_AGAIN_LATER, "server busy");
        }
    }

    private void onAck(final ChannelHandlerContext ctx, final ClientMessageFlyweight message)
    {
        if (shard == NO_SHARD)
        {
            violation(ctx, ClientMessageError.UNEXPECTED, CloseCodes.PROTOCOL_ERROR, "ack before join");
            return;
        }
        if (!gateway.ring(shard).tryPublishControl(session, message))
        {
            counters.acksRefusedBusy.incrementAndGet();
        }
    }

    /**
     * Answers at once, from the event loop, unless the connection's outbound buffer is full; a joined client's ack
     * rides to the shard like any other.
     */
    private void onPing(final InboundCodec codec, final ClientMessageFlyweight message)
    {
        if (session.isWritable())
        {
            session.writeControlNow(codec.controlBuffer, 0,
                codec.pong.wrap(codec.controlBuffer, 0).encode(message.pingTimestamp()));
        }
        if (shard != NO_SHARD && !gateway.ring(shard).tryPublishControl(session, message))
        {
            counters.acksRefusedBusy.incrementAndGet();
        }
    }

    private void onJoin(final ChannelHandlerContext ctx, final InboundCodec codec, final ClientMessageFlyweight message)
    {
        if (shard != NO_SHARD || game != null)
        {
            violation(ctx, ClientMessageError.UNEXPECTED, CloseCodes.PROTOCOL_ERROR, "already joined");
            return;
        }
        if (gateway.isDraining())
        {
            closeDraining(codec);
            return;
        }

        final Object decoded = codec.controlCodec.decode(message.buffer(), message.offset(), message.length());
        if (!(decoded instanceof JoinRequest))
        {
            violation(ctx, ClientMessageError.BAD_BODY, CloseCodes.PROTOCOL_ERROR, "malformed join");
            return;
        }
        final JoinRequest join = (JoinRequest)decoded;
        final ReservedSeat seat = session.reservedSeat();
        if (seat != null && !seat.admits(join))
        {
            counters.reservationMismatches.incrementAndGet();
            counters.violations.record("RESERVATION_MISMATCH", ctx.channel().remoteAddress());
            session.markNoResume();
            sendNotice(codec, new Notice(Notice.CODE_JOIN_REFUSED, 0, "join does not match the reservation"));
            closeWith(CloseCodes.RESERVATION_MISMATCH, "reservation mismatch");
            return;
        }
        final GameType type = gateway.catalog().get(join.roomType());
        if (type == null)
        {
            violation(ctx, ClientMessageError.UNKNOWN_ROOM_TYPE, CloseCodes.PROTOCOL_ERROR, "unknown room type");
            return;
        }
        if ((join.mode() == JoinRequest.MODE_NAMED && join.room().isEmpty()) ||
            (join.mode() == JoinRequest.MODE_ANY && !join.room().isEmpty()))
        {
            violation(ctx, ClientMessageError.BAD_BODY, CloseCodes.PROTOCOL_ERROR, "room name does not fit the mode");
            return;
        }
        final JoinOptionValues options;
        try
        {
            options = JoinOptionValues.of(type, join.options());
        }
        catch (final IllegalArgumentException ex)
        {
            violation(ctx, ClientMessageError.BAD_JOIN_OPTIONS, CloseCodes.PROTOCOL_ERROR, "bad join options");
            return;
        }

        final JoinTicket ticket = new JoinTicket(type, join.mode(), join.room(), join.player(), options,
            session.identity(), join.resumeToken(), join.messageAck(), seat == null ? null : seat.reservationId(),
            seat != null && seat.rejoin());
        final int target = join.mode() == JoinRequest.MODE_ANY ? gateway.shardForAnyRoom(type) :
            join.room().isEmpty() ? gateway.router().shardForAnyRoom() : gateway.router().shardOf(join.room());
        if (gateway.isShardFailed(target))
        {
            counters.shardFailureCloses.incrementAndGet();
            sendNotice(codec, new Notice(Notice.CODE_SERVER_ERROR, 0, "shard failed"));
            closeWith(CloseCodes.INTERNAL_ERROR, "shard failed");
        }
        else if (gateway.ring(target).tryPublishJoin(session, ticket))
        {
            shard = target;
            game = new ConnectionGame(type, ticket.isResume(), codec);
            gateway.onJoinRouted(target, session, ctx.channel(), join.room());
            if (gateway.isShardFailed(target) && session.isOpen())
            {
                counters.shardFailureCloses.incrementAndGet();
                closeWith(CloseCodes.INTERNAL_ERROR, "shard failed");
            }
        }
        else
        {
            counters.joinsRefusedBusy.incrementAndGet();
            sendNotice(codec, new Notice(Notice.CODE_SERVER_BUSY, 0, "server busy"));
            closeWith(CloseCodes.TRY_AGAIN_LATER, "server busy");
        }
    }

    private void onLeave(final ChannelHandlerContext ctx, final ClientMessageFlyweight message)
    {
        if (shard == NO_SHARD)
        {
            violation(ctx, ClientMessageError.UNEXPECTED, CloseCodes.PROTOCOL_ERROR, "leave before join");
            return;
        }
        if (gateway.ring(shard).tryPublishControl(session, message))
        {
            shard = NO_SHARD;
            closeWith(CloseCodes.NORMAL, "left");
        }
        else
        {
            counters.leavesRefusedBusy.incrementAndGet();
            closeWith(CloseCodes.TRY_AGAIN_LATER, "server busy");
        }
    }

    /**
     * What the shards left open closes: a session with NOTICE 12 (if it asked to join; a shard that had it already
     * told it and closed it) and 1001, any other connection at once.
     */
    private void onDrainSweep(final ChannelHandlerContext ctx)
    {
        if (session == null)
        {
            ctx.close();
        }
        else if (session.isOpen())
        {
            if (shard != NO_SHARD)
            {
                closeDraining(InboundCodec.current());
            }
            else
            {
                closeWith(CloseCodes.GOING_AWAY, DRAINING_REASON);
            }
        }
    }

    private void closeDraining(final InboundCodec codec)
    {
        sendNotice(codec, new Notice(Notice.CODE_SERVER_DRAINING, gateway.drainReconnectDelayMs(), DRAINING_REASON));
        closeWith(CloseCodes.GOING_AWAY, DRAINING_REASON);
    }

    private void sendNotice(final InboundCodec codec, final Notice notice)
    {
        session.sendControl(codec.controlBuffer, 0, codec.controlCodec.encode(notice, codec.controlBuffer, 0));
        session.writeOutbound();
    }

    private void violation(
        final ChannelHandlerContext ctx, final ClientMessageError error, final int closeCode, final String reason)
    {
        counters.onInvalidMessage(error, ctx.channel().remoteAddress());
        session.markNoResume();
        closeWith(closeCode, reason);
    }

    private void closeWith(final int closeCode, final String reason)
    {
        session.close(closeCode, reason);
        session.writeOutbound();
    }
}
