package io.tickwire.bots;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.Sequence;
import io.tickwire.codec.SnapshotDecoder;
import io.tickwire.codec.SnapshotHeaderFlyweight;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.Welcome;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * One protocol-speaking client, and the last handler of its channel's pipeline.
 * <pre>
 *   IDLE --connect--> CONNECTING --handshake--> JOINING --WELCOME--> JOINED --stop--> CLOSING --inactive--> CLOSED
 *   |                   |                         |                    |                 ^
 *   |                   +-------------------------+--- errors ---------+-----------------+
 *   +--stop, before connecting--> CLOSED
 * </pre>
 * The welcome carries the room's entity schema; with it the bot makes its own {@link SnapshotDecoder}, which keeps
 * the bot's view and the snapshots the server may still delta against. Once joined, the bot sends an input at a
 * fixed rate, each acknowledging the newest snapshot applied, and checks every snapshot: it decodes against a
 * baseline the bot holds, with a sequence newer than the last and a matching view checksum; the bot's own entity is
 * in the view; and its last applied input neither goes back nor passes the last input sent. Every error is counted
 * by kind. A protocol error or an unasked close ends the bot's connection; a checksum mismatch does not, because the
 * decoder keeps the last good view and the bot goes on acknowledging it, so the server's next delta repairs it.
 * <p>
 * Owned by its event loop: every method except the counter getters runs on that loop. {@link #state()},
 * {@link #snapshotsReceived()}, {@link #bytesReceived()} and {@link #errorCount()} are volatile, written only by
 * that loop (single writer, so the increments are safe) and may be read from any thread. {@link #result(long)} reads
 * plain fields and may be called from another thread only after the event loop has terminated.
 */
final class Bot extends ChannelInboundHandlerAdapter
{
    enum State
    {
        IDLE, CONNECTING, JOINING, JOINED, CLOSING, CLOSED
    }

    /** Inputs whose send time is kept for measuring latency; a power of two. */
    static final int INPUT_HISTORY = 128;
    private static final int INPUT_HISTORY_MASK = INPUT_HISTORY - 1;

    /** Most entities a bot's view may hold; a snapshot whose view holds more fails the bot. */
    private static final int MAX_VIEW_ENTITIES = 0xFFFF;

    /** Snapshots a decoder keeps beyond the history window in ticks the welcome announces, as the welcome asks. */
    private static final int RETAINED_BEYOND_WINDOW = 2;
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final int index;
    private final String roomName;
    private final int inputRateHz;
    private final RandomWalk walk;
    private final BotGroup group;
    private final long[] inputSentAtNs = new long[INPUT_HISTORY];
    private final long[] errorsByKind = new long[BotError.VALUES.length];
    private final Runnable inputTask = this::onInputTimer;
    private final ChannelFutureListener connectListener = this::onConnectComplete;

    private Channel channel;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> inputTimer;
    private SnapshotDecoder decoder;
    private int entityId;
    private int lastInputSeqSent = Sequence.NONE;
    private int lastInputSeqApplied = Sequence.NONE;
    private boolean connected;
    private boolean joined;
    private boolean finished;
    private long joinedAtNs;
    private long leftAtNs;
    private long inputsSent;
    private long inputsSkipped;
    private long fullSnapshots;
    private long deltaSnapshots;
    private long fullSnapshotBytes;
    private long deltaSnapshotBytes;

    private volatile State state = State.IDLE;
    private volatile long snapshotsReceived;
    private volatile long bytesReceived;
    private volatile long errorCount;

    /**
     * @param index       index of the bot in the swarm; names the player.
     * @param roomName    room the bot joins.
     * @param inputRateHz inputs per second, or {@link SwarmConfig#INPUT_RATE_FROM_WELCOME} for the room's tick rate.
     * @param walk        the bot's movement.
     * @param group       the bots of the same event loop, with the scratch state they share.
     */
    Bot(final int index, final String roomName, final int inputRateHz, final RandomWalk walk, final BotGroup group)
    {
        this.index = index;
        this.roomName = roomName;
        this.inputRateHz = inputRateHz;
        this.walk = walk;
        this.group = group;
    }

    /**
     * Starts connecting, unless the run has already ended for this bot.
     *
     * @param bootstrap a bootstrap on this bot's event loop, aimed at the server, whose pipeline ends in this bot.
     */
    void connect(final Bootstrap bootstrap)
    {
        if (state == State.IDLE)
        {
            onConnectStarted(bootstrap.connect());
        }
    }

    /**
     * Tracks a connection attempt made for this bot; the handshake follows when it succeeds.
     *
     * @param connectFuture completes when the TCP connection is made or has failed.
     */
    void onConnectStarted(final ChannelFuture connectFuture)
    {
        state = State.CONNECTING;
        channel = connectFuture.channel();
        connectFuture.addListener(connectListener);
    }

    /**
     * Ends the run for this bot: a bot not yet connected finishes at once, a connecting one is closed, and a joined
     * one sends a close frame (1000) and finishes when the server has closed the connection.
     */
    void stop()
    {
        switch (state)
        {
            case IDLE:
                state = State.CLOSED;
                finish();
                break;

            case CONNECTING:
                state = State.CLOSING;
                channel.close();
                break;

            case JOINING:
            case JOINED:
                leaveRoom();
                state = State.CLOSING;
                ctx.writeAndFlush(new CloseWebSocketFrame(CloseCodes.NORMAL, ""), ctx.voidPromise());
                break;

            default:
                break;
        }
    }

    /**
     * Closes the connection of a bot that has not finished closing in time, counting {@link BotError#CLOSE_TIMEOUT}.
     */
    void forceClose()
    {
        if (!finished)
        {
            countError(BotError.CLOSE_TIMEOUT, state);
            leaveRoom();
            state = State.CLOSING;
            channel.close();
        }
    }

    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE)
        {
            onHandshakeComplete();
        }
        else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT)
        {
            failAndClose(BotError.HANDSHAKE_FAILED, "handshake timed out", CloseCodes.NORMAL);
        }
        ctx.fireUserEventTriggered(event);
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object message)
    {
        try
        {
            if (message instanceof BinaryWebSocketFrame)
            {
                onBinaryMessage(((BinaryWebSocketFrame)message).content());
            }
            else if (message instanceof CloseWebSocketFrame)
            {
                onCloseFrame(((CloseWebSocketFrame)message).statusCode());
            }
            else if (state == State.JOINING || state == State.JOINED)
            {
                final String kind = message.getClass().getSimpleName();
                failAndClose(BotError.UNEXPECTED_MESSAGE, kind, CloseCodes.UNSUPPORTED_DATA);
            }
        }
        finally
        {
            ReferenceCountUtil.release(message);
        }
    }

    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (state == State.CONNECTING)
        {
            countError(BotError.HANDSHAKE_FAILED, "connection closed during the handshake");
        }
        else if (state != State.CLOSING)
        {
            countError(BotError.UNEXPECTED_CLOSE, "connection closed without a close frame");
        }
        leaveRoom();
        state = State.CLOSED;
        finish();
        ctx.fireChannelInactive();
    }

    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (state != State.CLOSING && state != State.CLOSED)
        {
            final boolean handshake = cause instanceof WebSocketHandshakeException;
            countError(handshake ? BotError.HANDSHAKE_FAILED : BotError.EXCEPTION, cause);
            leaveRoom();
            state = State.CLOSING;
        }
        ctx.close();
    }

    State state()
    {
        return state;
    }

    long snapshotsReceived()
    {
        return snapshotsReceived;
    }

    long bytesReceived()
    {
        return bytesReceived;
    }

    long errorCount()
    {
        return errorCount;
    }

    long errorCount(final BotError kind)
    {
        return errorsByKind[kind.ordinal()];
    }

    int lastInputSeqSent()
    {
        return lastInputSeqSent;
    }

    /**
     * @return the sequence of the newest snapshot applied, which every input acknowledges; {@link Sequence#NONE}
     * before the first.
     */
    int ackSeq()
    {
        return decoder == null ? Sequence.NONE : decoder.ackSeq();
    }

    /**
     * @return the bot's decoder, holding its current view; null before the welcome. Event loop only.
     */
    SnapshotDecoder decoder()
    {
        return decoder;
    }

    /**
     * @param endNs end of the run, on the bot's clock; ends the joined time of a bot still joined.
     * @return the bot's figures.
     */
    BotResult result(final long endNs)
    {
        final long joinedNs = joined ? (state == State.JOINED ? endNs : leftAtNs) - joinedAtNs : 0;
        return new BotResult(
            index, roomName, connected, joined, joinedNs, fullSnapshots, deltaSnapshots,
            errorsByKind[BotError.CHECKSUM_MISMATCH.ordinal()], bytesReceived, fullSnapshotBytes, deltaSnapshotBytes,
            inputsSent, inputsSkipped, errorCount);
    }

    /**
     * Adds this bot's errors to {@code totals}, indexed by {@link BotError#ordinal()}.
     */
    void addErrorsTo(final long[] totals)
    {
        for (int i = 0; i < totals.length; i++)
        {
            totals[i] += errorsByKind[i];
        }
    }

    private void onConnectComplete(final ChannelFuture future)
    {
        if (!future.isSuccess())
        {
            if (state == State.CONNECTING)
            {
                countError(BotError.CONNECT_FAILED, future.cause());
            }
            state = State.CLOSED;
            finish();
        }
    }

    private void onHandshakeComplete()
    {
        if (state == State.CONNECTING)
        {
            connected = true;
            state = State.JOINING;
            final UnsafeBuffer buffer = group.controlBuffer();
            final int length = group.controlCodec().encode(
                new JoinRequest(roomName, SwarmConfig.playerName(index)), buffer, 0);
            send(buffer, length);
        }
    }

    private void onBinaryMessage(final ByteBuf content)
    {
        final int length = content.readableBytes();
        bytesReceived += length;
        if (state != State.JOINING && state != State.JOINED)
        {
            return;
        }
        if (length < 1 || length > BotGroup.MAX_PAYLOAD_LENGTH)
        {
            failAndClose(BotError.UNEXPECTED_MESSAGE, "message length " + length, CloseCodes.PROTOCOL_ERROR);
            return;
        }

        final UnsafeBuffer buffer = group.wrapPayload(content);
        final byte type = buffer.getByte(0);
        if (type == WireFormat.TYPE_SNAPSHOT && state == State.JOINED)
        {
            onSnapshot(buffer, length);
        }
        else if (type == WireFormat.TYPE_WELCOME || type == WireFormat.TYPE_NOTICE)
        {
            onControlMessage(group.controlCodec().decode(buffer, 0, length));
        }
        else
        {
            failAndClose(BotError.UNEXPECTED_MESSAGE, "message type " + type, CloseCodes.PROTOCOL_ERROR);
        }
    }

    private void onControlMessage(final Object message)
    {
        if (message instanceof Welcome && state == State.JOINING)
        {
            onWelcome((Welcome)message);
        }
        else if (message instanceof Notice)
        {
            if (state == State.JOINING)
            {
                failAndClose(BotError.JOIN_REFUSED, message, CloseCodes.NORMAL);
            }
            else
            {
                countError(BotError.NOTICE, message);
            }
        }
        else if (message == null)
        {
            failAndClose(BotError.BAD_CONTROL, "control message does not decode", CloseCodes.PROTOCOL_ERROR);
        }
        else
        {
            failAndClose(BotError.UNEXPECTED_MESSAGE, "second welcome", CloseCodes.PROTOCOL_ERROR);
        }
    }

    private void onWelcome(final Welcome welcome)
    {
        final int rateHz = inputRateHz > 0 ? inputRateHz : welcome.tickRateHz();
        if (rateHz > SwarmConfig.MAX_INPUT_RATE_HZ)
        {
            failAndClose(BotError.BAD_CONTROL, "welcome tick rate " + rateHz + " Hz", CloseCodes.NORMAL);
            return;
        }

        decoder = new SnapshotDecoder(
            welcome.schema(), welcome.historyWindowTicks() + RETAINED_BEYOND_WINDOW, MAX_VIEW_ENTITIES);
        entityId = welcome.entityId();
        joined = true;
        joinedAtNs = group.nanoTime();
        state = State.JOINED;

        final long periodNs = NANOS_PER_SECOND / rateHz;
        inputTimer = ctx.executor().scheduleAtFixedRate(inputTask, 0, periodNs, TimeUnit.NANOSECONDS);
    }

    private void onSnapshot(final UnsafeBuffer buffer, final int length)
    {
        final SnapshotDecoder.Result result = decoder.decode(buffer, 0, length);
        if (result != SnapshotDecoder.Result.APPLIED)
        {
            onSnapshotRejected(result, buffer, length);
            return;
        }

        final int lastInputSeq = decoder.lastInputSeq();
        if (Sequence.isNewer(lastInputSeq, lastInputSeqSent) || Sequence.isNewer(lastInputSeqApplied, lastInputSeq))
        {
            failAndClose(BotError.BAD_INPUT_ACK, lastInputSeq, CloseCodes.PROTOCOL_ERROR);
            return;
        }

        if (decoder.indexOf(entityId) < 0)
        {
            failAndClose(BotError.MISSING_OWN_ENTITY, entityId, CloseCodes.PROTOCOL_ERROR);
            return;
        }

        if (lastInputSeq != lastInputSeqApplied && lastInputSeqSent - lastInputSeq < INPUT_HISTORY)
        {
            group.onInputApplied(group.nanoTime() - inputSentAtNs[lastInputSeq & INPUT_HISTORY_MASK]);
        }
        lastInputSeqApplied = lastInputSeq;
        if (group.snapshotHeader().wrap(buffer, 0).baselineSeq() == Sequence.NONE)
        {
            fullSnapshots++;
            fullSnapshotBytes += length;
        }
        else
        {
            deltaSnapshots++;
            deltaSnapshotBytes += length;
        }
        snapshotsReceived++;
    }

    /**
     * Counts a snapshot the decoder did not apply. A checksum mismatch leaves the bot running on its last good view;
     * anything else is a protocol error and closes the connection.
     */
    private void onSnapshotRejected(final SnapshotDecoder.Result result, final UnsafeBuffer buffer, final int length)
    {
        if (result == SnapshotDecoder.Result.CHECKSUM_MISMATCH)
        {
            countError(BotError.CHECKSUM_MISMATCH, group.snapshotHeader().wrap(buffer, 0).snapshotSeq());
            return;
        }

        final BotError kind;
        switch (result)
        {
            case STALE:
                kind = BotError.STALE_SNAPSHOT;
                break;
            case UNKNOWN_BASELINE:
                kind = BotError.UNKNOWN_BASELINE;
                break;
            case TOO_MANY_ENTITIES:
                kind = BotError.TOO_MANY_ENTITIES;
                break;
            default:
                kind = BotError.BAD_SNAPSHOT;
                break;
        }
        failAndClose(kind, describeSnapshot(buffer, length), CloseCodes.PROTOCOL_ERROR);
    }

    private void onCloseFrame(final int statusCode)
    {
        if (state == State.CLOSING)
        {
            ctx.close();
        }
        else
        {
            failAndClose(BotError.UNEXPECTED_CLOSE, statusCode, CloseCodes.NORMAL);
        }
    }

    private void onInputTimer()
    {
        if (state != State.JOINED)
        {
            return;
        }
        if (!ctx.channel().isWritable())
        {
            inputsSkipped++;
            return;
        }

        walk.step();
        final int inputSeq = Sequence.next(lastInputSeqSent);
        final UnsafeBuffer buffer = group.inputBuffer();
        group.inputMessage().wrap(buffer, 0, ClientMessageFlyweight.INPUT_LENGTH)
            .type(WireFormat.TYPE_INPUT)
            .ack(decoder.ackSeq())
            .inputSeq(inputSeq)
            .moveX(walk.moveX())
            .moveY(walk.moveY())
            .buttons(0);

        lastInputSeqSent = inputSeq;
        inputSentAtNs[inputSeq & INPUT_HISTORY_MASK] = group.nanoTime();
        inputsSent++;
        send(buffer, ClientMessageFlyweight.INPUT_LENGTH);
    }

    private void send(final UnsafeBuffer buffer, final int length)
    {
        final ByteBuf payload = ctx.alloc().buffer(length);
        payload.writeBytes(buffer.byteArray(), 0, length);
        ctx.writeAndFlush(new BinaryWebSocketFrame(payload), ctx.voidPromise());
    }

    private void failAndClose(final BotError kind, final Object detail, final int closeCode)
    {
        countError(kind, detail);
        final State previous = state;
        leaveRoom();
        state = State.CLOSING;
        if (previous == State.JOINING || previous == State.JOINED)
        {
            ctx.writeAndFlush(new CloseWebSocketFrame(closeCode, "")).addListener(ChannelFutureListener.CLOSE);
        }
        else
        {
            ctx.close();
        }
    }

    private void countError(final BotError kind, final Object detail)
    {
        errorsByKind[kind.ordinal()]++;
        errorCount++;
        group.onError(index, kind, detail);
    }

    private void leaveRoom()
    {
        if (state == State.JOINED)
        {
            leftAtNs = group.nanoTime();
            inputTimer.cancel(false);
        }
    }

    private void finish()
    {
        if (!finished)
        {
            finished = true;
            group.onBotFinished();
        }
    }

    /**
     * @return the header fields of a rejected snapshot, for the error log; called once per bot, as the bot closes.
     */
    private String describeSnapshot(final UnsafeBuffer buffer, final int length)
    {
        if (length < SnapshotHeaderFlyweight.LENGTH)
        {
            return length + " bytes, shorter than the header";
        }
        final SnapshotHeaderFlyweight header = group.snapshotHeader().wrap(buffer, 0);
        return "seq " + Integer.toUnsignedString(header.snapshotSeq()) +
            ", baseline " + Integer.toUnsignedString(header.baselineSeq()) +
            ", tick " + Integer.toUnsignedString(header.tick()) +
            ", ack " + Integer.toUnsignedString(decoder.ackSeq()) +
            ", " + length + " bytes";
    }
}
