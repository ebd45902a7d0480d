package io.tickwire.bots;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.util.ReferenceCountUtil;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.PongFlyweight;
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
 *   IDLE --due--> CONNECTING --handshake--> JOINING --WELCOME--> JOINED --stop, or an error--> CLOSING --> CLOSED
 *                    ^                                            |
 *                    | due, after a Backoff delay                 | drop (churn): close 1000
 *                    |                                            v
 *                 BACKOFF <------------ inactive ------------- CLOSING
 *                    ^                                            |
 *                    +---- any failure before the next WELCOME ---+  (counted; the backoff ceiling doubles)
 * </pre>
 * The welcome carries the room's entity schema; with it the bot makes its own {@link SnapshotDecoder}, which keeps
 * the bot's view and the snapshots the server may still delta against. Once joined, the bot sends an input at a
 * fixed rate, each acknowledging the newest snapshot applied, and a ping at a fixed interval, and checks every
 * snapshot: it decodes against a baseline the bot holds, with a sequence newer than the last and a matching view
 * checksum; the bot's own entity is in the view; and its last applied input neither goes back nor passes the last
 * input sent. It measures each input's latency to the first snapshot that applied it, each ping's round trip, and
 * how far each snapshot's inter-arrival time strays from the tick period. Every error is counted by kind. A
 * protocol error or an unasked close ends the bot's run; a checksum mismatch does not, because the decoder keeps
 * the last good view and the bot goes on acknowledging it, so the server's next delta repairs it.
 * <p>
 * A bot dropped by churn comes back: after a backoff it connects again and rejoins the same room as a new session;
 * a failure before the welcome counts and is retried with a longer backoff, until the run ends.
 * <p>
 * The bot has no timer of its own: its {@link BotGroup}'s cycle calls {@link #onDue(long)} when the due time the bot
 * last set has come. Sharable only in the sense that after a reconnect the bot joins the new connection's pipeline;
 * it never is in two at once, since it reconnects only after the old channel became inactive, and it ignores a
 * channel it has left behind.
 * <p>
 * Owned by its event loop: every method runs on that loop, once the thread that builds the swarm has made the bot.
 * {@link #result(long)} reads plain fields and may be called from another thread only after the event loop has
 * terminated.
 */
@ChannelHandler.Sharable
final class Bot extends ChannelInboundHandlerAdapter
{
    enum State
    {
        IDLE, CONNECTING, JOINING, JOINED, CLOSING, BACKOFF, CLOSED
    }

    /** Inputs whose send time is kept for measuring latency; a power of two. */
    static final int INPUT_HISTORY = 128;
    private static final int INPUT_HISTORY_MASK = INPUT_HISTORY - 1;

    /** Most entities a bot's view may hold; a snapshot whose view holds more fails the bot. */
    private static final int MAX_VIEW_ENTITIES = 0xFFFF;

    /** Snapshots a decoder keeps beyond the history window in ticks the welcome announces, as the welcome asks. */
    private static final int RETAINED_BEYOND_WINDOW = 2;
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long NONE_NS = Long.MIN_VALUE;

    private final int index;
    private final int slot;
    private final String roomName;
    private final BotScript script;
    private final BotGroup group;
    private final GroupMetrics metrics;
    private final long[] inputSentAtNs = new long[INPUT_HISTORY];
    private final ChannelFutureListener connectListener = this::onConnectComplete;

    private State state = State.IDLE;
    private Channel channel;
    private ChannelHandlerContext ctx;
    private SnapshotDecoder decoder;
    private int entityId;
    private long inputPeriodNs;
    private long tickPeriodNs;
    private long nextInputNs;
    private long nextPingNs;
    private long lastPingNs = NONE_NS;
    private long lastSnapshotAtNs = NONE_NS;
    private long sessionStartNs;
    private int lastInputSeqSent = Sequence.NONE;
    private int lastInputSeqApplied = Sequence.NONE;
    private int failedAttempts;
    private boolean returning;
    private boolean finished;

    private boolean connected;
    private boolean joined;
    private boolean joinedAtEnd;
    private long joinedNs;
    private long inputsSent;
    private long inputsSkipped;
    private long inputsUntimed;
    private long fullSnapshots;
    private long deltaSnapshots;
    private long fullSnapshotBytes;
    private long deltaSnapshotBytes;
    private long bytesReceived;
    private long checksumMismatches;
    private long errorCount;
    private long plannedDrops;
    private long unplannedDrops;
    private long reconnects;

    /**
     * Made by {@link BotGroup#newBot}.
     *
     * @param index       index of the bot in the swarm; names the player.
     * @param slot        index of the bot in its group.
     * @param roomName    room the bot joins, and joins again after each reconnect.
     * @param script      how the bot moves.
     * @param group       the bots of the same event loop, with the scratch state they share.
     */
    Bot(final int index, final int slot, final String roomName, final BotScript script, final BotGroup group)
    {
        this.index = index;
        this.slot = slot;
        this.roomName = roomName;
        this.script = script;
        this.group = group;
        this.metrics = group.metrics();
    }

    /**
     * Runs what is due: connects an idle or backed-off bot, sends a joined bot's input and ping, and fails a bot
     * that waited too long for a welcome or for its connection to close. Then sets the bot's next due time.
     *
     * @param nowNs the group's clock, in nanoseconds; at or after the due time the bot last set.
     */
    void onDue(final long nowNs)
    {
        switch (state)
        {
            case IDLE:
            case BACKOFF:
                onConnectStarted(group.connect(this));
                break;

            case JOINING:
                failAndClose(BotError.JOIN_TIMEOUT, "no welcome or notice", CloseCodes.NORMAL, nowNs);
                break;

            case CLOSING:
                countError(BotError.CLOSE_TIMEOUT, "connection still open");
                transition(State.CLOSING, BotGroup.NEVER);
                channel.close();
                break;

            case JOINED:
                onJoinedDue(nowNs);
                break;

            default:
                break;
        }
    }

    /**
     * Fails the bot after {@link #onDue(long)} threw: counts {@link BotError#EXCEPTION} and closes its connection,
     * or, when it has none open, ends it as a failed connection.
     */
    void onDueFailed(final Throwable cause, final long nowNs)
    {
        countError(BotError.EXCEPTION, cause);
        leaveRoom(nowNs, false);
        if (channel != null && channel.isOpen())
        {
            transition(State.CLOSING, nowNs + group.config().closeTimeoutNs());
            channel.close();
        }
        else
        {
            onConnectionEnded(nowNs);
        }
    }

    /**
     * Tracks a connection attempt made for this bot; the handshake follows when it succeeds.
     *
     * @param connectFuture completes when the TCP connection is made or has failed.
     */
    private void onConnectStarted(final ChannelFuture connectFuture)
    {
        transition(State.CONNECTING, BotGroup.NEVER);
        channel = connectFuture.channel();
        connectFuture.addListener(connectListener);
    }

    /**
     * Drops the connection on purpose, for churn: sends a close frame (1000) and, once the connection has closed,
     * waits a backoff delay and connects again. Only a joined bot is dropped.
     */
    void drop(final long nowNs)
    {
        if (state == State.JOINED)
        {
            plannedDrops++;
            returning = true;
            leaveRoom(nowNs, true);
            sendClose(CloseCodes.NORMAL, nowNs);
        }
    }

    /**
     * Ends the run for this bot: a bot not connected finishes at once, a connecting one is closed, and a joined one
     * sends a close frame (1000) and finishes when the server has closed the connection, or when the close timeout
     * cuts it off. A bot already closing finishes when its connection has closed; none comes back.
     */
    void stop(final long nowNs)
    {
        joinedAtEnd = state == State.JOINED;
        switch (state)
        {
            case IDLE:
            case BACKOFF:
                transition(State.CLOSED, BotGroup.NEVER);
                finish();
                break;

            case CONNECTING:
                transition(State.CLOSING, nowNs + group.config().closeTimeoutNs());
                channel.close();
                break;

            case JOINING:
            case JOINED:
                leaveRoom(nowNs, true);
                sendClose(CloseCodes.NORMAL, nowNs);
                break;

            default:
                break;
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
        else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT && state == State.CONNECTING)
        {
            failAndClose(BotError.HANDSHAKE_FAILED, "handshake timed out", CloseCodes.NORMAL, group.nanoTime());
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
                failAndClose(BotError.UNEXPECTED_MESSAGE, kind, CloseCodes.UNSUPPORTED_DATA, group.nanoTime());
            }
        }
        finally
        {
            ReferenceCountUtil.release(message);
        }
    }

    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (isOnline() || state == State.CLOSING)
        {
            final long nowNs = group.nanoTime();
            if (state == State.CONNECTING)
            {
                countError(BotError.HANDSHAKE_FAILED, "connection closed during the handshake");
            }
            else if (state != State.CLOSING)
            {
                countError(BotError.UNEXPECTED_CLOSE, "connection closed without a close frame");
            }
            leaveRoom(nowNs, false);
            onConnectionEnded(nowNs);
        }
        ctx.fireChannelInactive();
    }

    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (isOnline())
        {
            final long nowNs = group.nanoTime();
            final boolean handshake = cause instanceof WebSocketHandshakeException;
            countError(handshake ? BotError.HANDSHAKE_FAILED : BotError.EXCEPTION, cause);
            leaveRoom(nowNs, false);
            transition(State.CLOSING, nowNs + group.config().closeTimeoutNs());
        }
        ctx.close();
    }

    State state()
    {
        return state;
    }

    long snapshotsReceived()
    {
        return fullSnapshots + deltaSnapshots;
    }

    long errorCount()
    {
        return errorCount;
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
     * @return the bot's decoder, holding its current view; null before the first welcome, and the last session's
     * between sessions.
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
        final long openSessionNs = state == State.JOINED ? endNs - sessionStartNs : 0;
        return new BotResult(
            index, roomName, connected, joined, joinedNs + openSessionNs, fullSnapshots, deltaSnapshots,
            checksumMismatches, bytesReceived, fullSnapshotBytes, deltaSnapshotBytes, inputsSent, inputsSkipped,
            inputsUntimed, errorCount, plannedDrops, unplannedDrops, reconnects, joinedAtEnd || state == State.JOINED);
    }

    /**
     * @return whether the bot is on a connection that has not been asked to close: connecting, joining or joined.
     */
    private boolean isOnline()
    {
        return state == State.CONNECTING || state == State.JOINING || state == State.JOINED;
    }

    private void onConnectComplete(final ChannelFuture future)
    {
        if (!future.isSuccess())
        {
            if (state == State.CONNECTING)
            {
                countError(BotError.CONNECT_FAILED, future.cause());
            }
            onConnectionEnded(group.nanoTime());
        }
    }

    private void onHandshakeComplete()
    {
        if (state == State.CONNECTING)
        {
            connected = true;
            transition(State.JOINING, group.nanoTime() + group.config().connectTimeoutNs());
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
        metrics.add(GroupMetrics.BYTES_IN, length);
        if (state != State.JOINING && state != State.JOINED)
        {
            return;
        }
        final long nowNs = group.nanoTime();
        if (length < 1 || length > BotGroup.MAX_PAYLOAD_LENGTH)
        {
            failAndClose(BotError.UNEXPECTED_MESSAGE, "message length " + length, CloseCodes.PROTOCOL_ERROR, nowNs);
            return;
        }

        final UnsafeBuffer buffer = group.wrapPayload(content);
        final byte type = buffer.getByte(0);
        if (type == WireFormat.TYPE_SNAPSHOT && state == State.JOINED)
        {
            onSnapshot(buffer, length, nowNs);
        }
        else if (type == WireFormat.TYPE_PONG)
        {
            onPong(buffer, length, nowNs);
        }
        else if (type == WireFormat.TYPE_WELCOME || type == WireFormat.TYPE_NOTICE)
        {
            onControlMessage(group.controlCodec().decode(buffer, 0, length), nowNs);
        }
        else
        {
            failAndClose(BotError.UNEXPECTED_MESSAGE, "message type " + type, CloseCodes.PROTOCOL_ERROR, nowNs);
        }
    }

    private void onControlMessage(final Object message, final long nowNs)
    {
        if (message instanceof Welcome && state == State.JOINING)
        {
            onWelcome((Welcome)message, nowNs);
        }
        else if (message instanceof Notice)
        {
            if (state == State.JOINING)
            {
                failAndClose(BotError.JOIN_REFUSED, message, CloseCodes.NORMAL, nowNs);
            }
            else
            {
                countError(BotError.NOTICE, message);
            }
        }
        else if (message == null)
        {
            failAndClose(BotError.BAD_CONTROL, "control message does not decode", CloseCodes.PROTOCOL_ERROR, nowNs);
        }
        else
        {
            failAndClose(BotError.UNEXPECTED_MESSAGE, "second welcome", CloseCodes.PROTOCOL_ERROR, nowNs);
        }
    }

    private void onWelcome(final Welcome welcome, final long nowNs)
    {
        final int configuredRateHz = group.config().inputRateHz();
        final int rateHz = configuredRateHz > 0 ? configuredRateHz : welcome.tickRateHz();
        if (rateHz > SwarmConfig.MAX_INPUT_RATE_HZ || welcome.tickRateHz() < 1)
        {
            failAndClose(BotError.BAD_CONTROL, "welcome tick rate " + welcome.tickRateHz() + " Hz", CloseCodes.NORMAL,
                nowNs);
            return;
        }

        decoder = new SnapshotDecoder(
            welcome.schema(), welcome.historyWindowTicks() + RETAINED_BEYOND_WINDOW, MAX_VIEW_ENTITIES);
        entityId = welcome.entityId();
        inputPeriodNs = NANOS_PER_SECOND / rateHz;
        tickPeriodNs = NANOS_PER_SECOND / welcome.tickRateHz();
        lastInputSeqSent = Sequence.NONE;
        lastInputSeqApplied = Sequence.NONE;
        lastSnapshotAtNs = NONE_NS;
        nextInputNs = nowNs;
        nextPingNs = group.config().pingIntervalNs() > 0 ? nowNs : BotGroup.NEVER;
        sessionStartNs = nowNs;
        joined = true;
        if (returning)
        {
            returning = false;
            failedAttempts = 0;
            reconnects++;
            metrics.add(GroupMetrics.RECONNECTS, 1);
        }
        transition(State.JOINED, BotGroup.NEVER);
        group.schedule(slot, nowNs);
    }

    private void onSnapshot(final UnsafeBuffer buffer, final int length, final long nowNs)
    {
        if (lastSnapshotAtNs != NONE_NS)
        {
            metrics.recordJitter(Math.abs(nowNs - lastSnapshotAtNs - tickPeriodNs), nowNs);
        }
        lastSnapshotAtNs = nowNs;

        final SnapshotDecoder.Result result = decoder.decode(buffer, 0, length);
        if (result != SnapshotDecoder.Result.APPLIED)
        {
            onSnapshotRejected(result, buffer, length, nowNs);
            return;
        }

        final int lastInputSeq = decoder.lastInputSeq();
        if (Sequence.isNewer(lastInputSeq, lastInputSeqSent) || Sequence.isNewer(lastInputSeqApplied, lastInputSeq))
        {
            failAndClose(BotError.BAD_INPUT_ACK, lastInputSeq, CloseCodes.PROTOCOL_ERROR, nowNs);
            return;
        }

        if (decoder.indexOf(entityId) < 0)
        {
            failAndClose(BotError.MISSING_OWN_ENTITY, entityId, CloseCodes.PROTOCOL_ERROR, nowNs);
            return;
        }

        onInputsApplied(lastInputSeq, nowNs);
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
        metrics.add(GroupMetrics.SNAPSHOTS, 1);
    }

    /**
     * Records the latency of every input the snapshot applies for the first time, newest first: those after the
     * last applied up to {@code lastInputSeq}. An input sent so long ago that its send time has been overwritten
     * is counted as untimed instead.
     */
    private void onInputsApplied(final int lastInputSeq, final long nowNs)
    {
        final int applied = lastInputSeq - lastInputSeqApplied;
        for (int i = 0; i < applied; i++)
        {
            final int inputSeq = lastInputSeq - i;
            if (lastInputSeqSent - inputSeq >= INPUT_HISTORY)
            {
                inputsUntimed += metrics.isMeasuring(nowNs) ? applied - i : 0;
                break;
            }
            metrics.recordInputLatency(nowNs - inputSentAtNs[inputSeq & INPUT_HISTORY_MASK], nowNs);
        }
        lastInputSeqApplied = lastInputSeq;
    }

    /**
     * Counts a snapshot the decoder did not apply. A checksum mismatch leaves the bot running on its last good view;
     * anything else is a protocol error and closes the connection.
     */
    private void onSnapshotRejected(
        final SnapshotDecoder.Result result, final UnsafeBuffer buffer, final int length, final long nowNs)
    {
        if (result == SnapshotDecoder.Result.CHECKSUM_MISMATCH)
        {
            checksumMismatches++;
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
        failAndClose(kind, describeSnapshot(buffer, length), CloseCodes.PROTOCOL_ERROR, nowNs);
    }

    /**
     * Records the round trip of a pong that echoes a time at which this session sent a ping.
     */
    private void onPong(final UnsafeBuffer buffer, final int length, final long nowNs)
    {
        final long sentNs = length == PongFlyweight.LENGTH ? group.pong().wrap(buffer, 0).timestamp() : NONE_NS;
        if (lastPingNs == NONE_NS || sentNs < sessionStartNs || sentNs > lastPingNs)
        {
            failAndClose(BotError.BAD_PONG, length + " bytes", CloseCodes.PROTOCOL_ERROR, nowNs);
            return;
        }
        metrics.recordRtt(nowNs - sentNs, nowNs);
    }

    private void onCloseFrame(final int statusCode)
    {
        if (state == State.CLOSING)
        {
            ctx.close();
        }
        else
        {
            failAndClose(BotError.UNEXPECTED_CLOSE, statusCode, CloseCodes.NORMAL, group.nanoTime());
        }
    }

    /**
     * Sends the input and the ping that are due, then asks the cycle for the bot when the next one is; a send that
     * fails the connection leaves the bot closing, with nothing more to send.
     */
    private void onJoinedDue(final long nowNs)
    {
        if (nowNs >= nextInputNs)
        {
            nextInputNs = nextAfter(nextInputNs, inputPeriodNs, nowNs);
            sendInput(nowNs);
        }
        if (state == State.JOINED && nowNs >= nextPingNs)
        {
            nextPingNs = nextAfter(nextPingNs, group.config().pingIntervalNs(), nowNs);
            sendPing(nowNs);
        }
        if (state == State.JOINED)
        {
            group.schedule(slot, Math.min(nextInputNs, nextPingNs));
        }
    }

    private void sendInput(final long nowNs)
    {
        if (!ctx.channel().isWritable())
        {
            inputsSkipped++;
            return;
        }

        script.step(decoder, entityId);
        final int inputSeq = Sequence.next(lastInputSeqSent);
        final UnsafeBuffer buffer = group.clientBuffer();
        group.clientMessage().wrap(buffer, 0, ClientMessageFlyweight.INPUT_LENGTH)
            .type(WireFormat.TYPE_INPUT)
            .ack(decoder.ackSeq())
            .inputSeq(inputSeq)
            .moveX(script.moveX())
            .moveY(script.moveY())
            .buttons(0);

        lastInputSeqSent = inputSeq;
        inputSentAtNs[inputSeq & INPUT_HISTORY_MASK] = nowNs;
        inputsSent++;
        send(buffer, ClientMessageFlyweight.INPUT_LENGTH);
    }

    private void sendPing(final long nowNs)
    {
        if (ctx.channel().isWritable())
        {
            final UnsafeBuffer buffer = group.clientBuffer();
            group.clientMessage().wrap(buffer, 0, ClientMessageFlyweight.PING_LENGTH)
                .type(WireFormat.TYPE_PING)
                .ack(decoder.ackSeq())
                .pingTimestamp(nowNs);
            lastPingNs = nowNs;
            send(buffer, ClientMessageFlyweight.PING_LENGTH);
        }
    }

    private void send(final UnsafeBuffer buffer, final int length)
    {
        final ByteBuf payload = ctx.alloc().buffer(length);
        payload.writeBytes(buffer.byteArray(), 0, length);
        ctx.writeAndFlush(new BinaryWebSocketFrame(payload), ctx.voidPromise());
    }

    /**
     * Asks the server to close: sends a close frame and waits, at most the close timeout, for the server to close.
     */
    private void sendClose(final int closeCode, final long nowNs)
    {
        transition(State.CLOSING, nowNs + group.config().closeTimeoutNs());
        ctx.writeAndFlush(new CloseWebSocketFrame(closeCode, ""), ctx.voidPromise());
    }

    private void failAndClose(final BotError kind, final Object detail, final int closeCode, final long nowNs)
    {
        countError(kind, detail);
        final State previous = state;
        leaveRoom(nowNs, false);
        transition(State.CLOSING, nowNs + group.config().closeTimeoutNs());
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
        errorCount++;
        metrics.onError(index, kind, detail);
    }

    /**
     * Ends the bot's session in its room, if it is joined: adds the session to the joined time, and counts an
     * unplanned drop unless the bot is leaving on purpose.
     */
    private void leaveRoom(final long nowNs, final boolean planned)
    {
        if (state == State.JOINED)
        {
            joinedNs += nowNs - sessionStartNs;
            unplannedDrops += planned ? 0 : 1;
        }
    }

    /**
     * After the connection has closed or failed: backs off to connect again when the bot is coming back from a drop
     * and the run goes on, otherwise finishes for good.
     */
    private void onConnectionEnded(final long nowNs)
    {
        lastPingNs = NONE_NS;
        if (returning && !group.isStopping())
        {
            transition(State.BACKOFF, nowNs + group.backoff().delayNs(failedAttempts++));
        }
        else
        {
            transition(State.CLOSED, BotGroup.NEVER);
            finish();
        }
    }

    /**
     * Moves to {@code next}, keeping the group's gauges in step, and asks the cycle for the bot at
     * {@code deadlineNs}: when to connect (BACKOFF), to give up waiting for the welcome (JOINING) or for the
     * connection to close (CLOSING); {@link BotGroup#NEVER} otherwise.
     */
    private void transition(final State next, final long deadlineNs)
    {
        metrics.onStateChange(state, next);
        state = next;
        group.schedule(slot, deadlineNs);
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
     * @return the next due time of something due every {@code periodNs} and last due at {@code dueNs}: a period
     * later, or a period from now when the loop has fallen more than a period behind, so it never bursts to catch up.
     */
    private static long nextAfter(final long dueNs, final long periodNs, final long nowNs)
    {
        final long nextNs = dueNs + periodNs;
        return nextNs > nowNs ? nextNs : nowNs + periodNs;
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
