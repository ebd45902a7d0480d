package io.tickwire.bots;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.InputCodec;
import io.tickwire.codec.PongFlyweight;
import io.tickwire.codec.Sequence;
import io.tickwire.codec.SnapshotDecoder;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.ResumeToken;
import io.tickwire.codec.control.Welcome;
import io.tickwire.io.SendRing;
import io.tickwire.io.SocketReadPass;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One protocol-speaking client: its session state machine, what it sends, and where what it receives goes.
 * <pre>
 *   IDLE --due--> CONNECTING --handshake--> JOINING --WELCOME--> JOINED --stop, or an error--> CLOSING --> CLOSED
 *                    ^                                            |
 *                    | due, after a Backoff delay                 | drop (churn): close 1000
 *                    |                                            v
 *                 BACKOFF <------------ inactive ------------- CLOSING
 *                    ^                                            |
 *                    +---- any failure before the next WELCOME ---+  (counted; the backoff ceiling doubles)
 * </pre>
 * The roles are split, all on the bot's event loop:
 * <pre>
 *   channel events --> BotHandler --------+
 *   server frames --> ServerFrameReader --+--> BotSession (state, sends, timers) --> SnapshotChecker (decode + checks)
 *                                              |   |                             --> InputTimer (input latency)
 *                                              |   +--> StreamReceiver (0x45, 0x46: order, presence) --> AckTracker
 *                                              |   +--> GameBrain (input values by field name) --> MessageOutbox
 *                                              +--> BotStats (-> BotResult), GroupMetrics (histograms, errors)
 * </pre>
 * The bot joins a room of its game's type by name. The welcome carries the game's schemas: the bot decodes snapshots
 * with the entity schema, encodes inputs with the input schema from the values its {@link GameBrain} fills by field
 * name, and validates room messages against the message types, so the protocol handling is the same for any game.
 * Once joined, the bot sends an input at a fixed rate, each acknowledging the newest snapshot applied and carrying
 * its tick as the view tick, an ACK in any input period in which stream messages arrived, and a ping at a fixed
 * interval. It has every snapshot checked, every stream message's order and presence entry too; it measures each
 * input's latency to the first snapshot that applied it, each ping's round trip, how far each snapshot's inter-arrival
 * time strays from the tick period, and the delivery of the brain's own messages. Every error is counted by kind. A
 * protocol error or an unasked close ends the bot's run; a checksum mismatch does not, because the decoder keeps the
 * last good view and the bot goes on acknowledging it, so the server's next delta repairs it.
 * <p>
 * A bot dropped by churn comes back: after a backoff it connects again and rejoins the same room as a new session;
 * a failure before the welcome counts and is retried with a longer backoff, until the run ends. With resume on
 * ({@link SwarmConfig#resume()}) a dropped bot closes its socket without a close frame, as a lost network does, and
 * comes back with the resume token of its last welcome and the newest stream message it received: it checks the
 * server gave back the same player and avatar, its stream goes on with the very next sequence (a gap or a repeat is
 * an error), its inputs and messages keep their numbering, and it sends again the messages the server had not
 * confirmed. A connection lost while joined or resuming is resumed the same way. A refused resume (NOTICE 13) is
 * counted, and the bot joins afresh.
 * <p>
 * With {@link SwarmConfig#reconnect()} a bot whose connection dropped unasked (an error, counted) and that cannot
 * resume comes back the same way, joining afresh.
 * <p>
 * A draining server sends NOTICE 12 (its detail the delay to wait before reconnecting, in ms) and then closes with
 * 1001: a normal end of the session, not an error, and no resume (the server is going away, and its seats with it).
 * The bot echoes the close and, when it comes back after drops (churn, reconnect or resume), joins afresh after that
 * delay plus a first backoff's jitter; otherwise it finishes. After the notice, the connection closing or failing
 * without the close frame ends it the same way: the server closes its socket right after its close frame, so an
 * input the bot sends meanwhile may meet a reset.
 * <p>
 * With a matchmaker ({@link SwarmConfig#matchmaker()}) every connect first asks it for a seat
 * ({@code IDLE/BACKOFF --due--> MATCHMAKING --placed--> CONNECTING}), connects to the node it names offering the
 * reservation, and JOINs exactly the room it names. A joined bot that loses its connection without asking (its node
 * died, drained, or lost the room) re-homes: with resume on it first RESUMEs at the same URL (subprotocol
 * {@code tickwire.resume}, no reservation); when that node does not answer, refuses the resume, or resume is off, it
 * asks the matchmaker for the same room with its last reservation as {@code rejoin}, which seats it again by identity
 * with the same player and entity. Refusals the matchmaker says are temporary (503 RESTORING, NO_NODE) are asked again
 * after a backoff of 250 ms doubling to 5 s with full jitter, at least the {@code retryAfterMs} they give; a rejoin
 * refused (no seat held: NOTICE, close 4008) or a room gone falls back to a fresh matchmake of the same room. Losses,
 * the time until the bot plays again, and whether its entity stayed are in {@link MatchmakingMetrics}.
 * <p>
 * The bot has no timer of its own: its {@link BotGroup}'s cycle calls {@link #onDue(long)} when the due time the bot
 * last set has come.
 * <p>
 * Owned by its event loop: every method runs on that loop, once the thread that builds the swarm has made the bot.
 * {@link #result(long)} reads plain fields and may be called from another thread only after the event loop has
 * terminated.
 */
final class BotSession implements ServerFrameReader.Listener
{
    enum State
    {
        IDLE, MATCHMAKING, CONNECTING, JOINING, JOINED, CLOSING, BACKOFF, CLOSED
    }

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long NONE_NS = Long.MIN_VALUE;
    /** A matchmake's answer is given up after this many connect timeouts: the client's queue, then the request. */
    private static final int MATCHMAKE_TIMEOUTS = 3;

    private final int index;
    private final int slot;
    private final String roomType;
    private final String roomName;
    private final GameBrain brain;
    private final BotGroup group;
    private final GroupMetrics metrics;
    private final BotHandler handler;
    private final BotStats stats = new BotStats();
    private final InputTimer inputTimer;
    private final SnapshotChecker checker;
    private final AckTracker acks = new AckTracker();
    private final StreamReceiver stream;
    private final MessageOutbox outbox;
    private final int[] inputValues = new int[InputSchema.MAX_FIELDS];
    private final ChannelFutureListener connectListener = this::onConnectComplete;
    private final MatchmakingMetrics matchmaking;

    private State state = State.IDLE;
    private Channel channel;
    private InputCodec inputCodec;
    private int playerId;
    private int entityId = Welcome.NO_ENTITY;
    private ResumeToken resumeToken;
    private boolean resuming;
    private long inputPeriodNs;
    private long tickPeriodNs;
    private long nextInputNs;
    private long nextPingNs;
    private long lastPingNs = NONE_NS;
    private long lastSnapshotAtNs = NONE_NS;
    /**
     * Whether the last good snapshot was full. The server sends a connection without a baseline one full snapshot,
     * then nothing until that snapshot's acknowledgement reaches it or a few ticks pass (PROTOCOL.md), so the gap
     * after a full is that pacing, not jitter, and is not recorded as such.
     */
    private boolean lastSnapshotFull;
    private long sessionStartNs;
    private int failedAttempts;
    private boolean returning;
    private boolean finished;
    private boolean joinedAtEnd;
    private long drainReconnectDelayNs = NONE_NS;
    private String currentRoom;
    private boolean resumeOnConnect;
    private MatchAnswer.Placed placement;
    private boolean rejoinNext;
    private boolean rejoinOffered;
    private int matchAttempt;
    private int matchmakerFailover;
    private long matchStartNs;
    private long lossAtNs = NONE_NS;
    private int entityBeforeLoss;

    /**
     * Made by {@link BotGroup#newBot}.
     *
     * @param index    index of the bot in the swarm; names the player.
     * @param slot     index of the bot in its group.
     * @param roomName room the bot joins, of the type its game names, and joins again after each reconnect.
     * @param brain    what the bot does in the game.
     * @param group    the bots of the same event loop, with the scratch state they share.
     */
    BotSession(final int index, final int slot, final String roomName, final GameBrain brain, final BotGroup group)
    {
        this.index = index;
        this.slot = slot;
        this.roomType = group.config().roomType();
        this.roomName = roomName;
        this.currentRoom = roomName;
        this.brain = brain;
        this.group = group;
        this.metrics = group.metrics();
        this.matchmaking = group.matchmakingMetrics();
        this.handler = new BotHandler(this, group.sendBatch());
        this.inputTimer = new InputTimer(metrics, stats);
        this.checker = new SnapshotChecker(group.snapshotHeader());
        this.stream = new StreamReceiver(acks, stats, metrics, group.messageReader(), group.presenceDecoder(),
            group.presenceStates());
        this.outbox = new MessageOutbox(handler, group.messageEncoder(), group.clientBuffer(), checker, acks, stats);
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
                startConnect(nowNs);
                break;

            case MATCHMAKING:
                onMatchAnswer(matchAttempt, new MatchAnswer.Refused(MatchError.TRANSPORT, 0, "no answer in time"));
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
     * Drops the connection on purpose, for churn: sends a close frame (1000) and, once the connection has closed,
     * waits a backoff delay and connects again. Only a joined bot is dropped.
     */
    void drop(final long nowNs)
    {
        if (state == State.JOINED)
        {
            stats.onPlannedDrop();
            returning = true;
            leaveRoom(nowNs, true);
            if (mayResume())
            {
                transition(State.CLOSING, nowNs + group.config().closeTimeoutNs());
                handler.close();
            }
            else
            {
                sendLeave();
                sendClose(CloseCodes.NORMAL, nowNs);
            }
        }
    }

    /**
     * Ends the run for this bot: a bot not connected finishes at once, a connecting one is closed, and a joined one
     * sends a LEAVE and a close frame (1000) and finishes when the server has closed the connection, or when the
     * close timeout cuts it off. A bot already closing finishes when its connection has closed; none comes back.
     */
    void stop(final long nowNs)
    {
        joinedAtEnd = state == State.JOINED;
        switch (state)
        {
            case IDLE:
            case MATCHMAKING:
            case BACKOFF:
                transition(State.CLOSED, BotGroup.NEVER);
                finish();
                break;

            case CONNECTING:
                transition(State.CLOSING, nowNs + group.config().closeTimeoutNs());
                channel.close();
                break;

            case JOINING:
                sendClose(CloseCodes.NORMAL, nowNs);
                break;

            case JOINED:
                leaveRoom(nowNs, true);
                sendLeave();
                sendClose(CloseCodes.NORMAL, nowNs);
                break;

            default:
                break;
        }
    }

    /**
     * The socket did not take the whole of a write of the bot's frames (it refused it, cut it short or failed): the
     * rest goes through the channel.
     */
    void onWriteFinishedByChannel()
    {
        stats.onWriteFinishedByChannel();
    }

    /**
     * The WebSocket handshake completed: sends the join.
     */
    void onHandshakeComplete()
    {
        if (state == State.CONNECTING)
        {
            stats.onConnected();
            transition(State.JOINING, group.nanoTime() + group.config().connectTimeoutNs());
            final UnsafeBuffer buffer = group.controlBuffer();
            resuming = resumeOnConnect;
            final JoinRequest join = resuming ?
                JoinRequest.resume(roomType, currentRoom, resumeToken, acks.streamSeq()) :
                JoinRequest.named(roomType, currentRoom, SwarmConfig.playerName(index));
            final int length = group.controlCodec().encode(join, buffer, 0);
            handler.send(buffer, length);
        }
    }

    /**
     * The WebSocket handshake timed out.
     */
    void onHandshakeTimeout()
    {
        if (state == State.CONNECTING)
        {
            failAndClose(BotError.HANDSHAKE_FAILED, "handshake timed out", CloseCodes.NORMAL, group.nanoTime());
        }
    }

    /**
     * A binary message arrived; checked and dispatched by type while the bot is joining or joined.
     */
    public void onBinaryMessage(final UnsafeBuffer buffer, final int length)
    {
        stats.onBytesReceived(length);
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

        final byte type = buffer.getByte(0);
        if (type == WireFormat.TYPE_SNAPSHOT && state == State.JOINED)
        {
            onSnapshot(buffer, length, nowNs);
        }
        else if (type == WireFormat.TYPE_ROOM_MESSAGE && state == State.JOINED)
        {
            onStreamError(stream.onRoomMessage(buffer, length, brain, nowNs), nowNs);
        }
        else if (type == WireFormat.TYPE_PRESENCE && state == State.JOINED)
        {
            onStreamError(stream.onPresence(buffer, length), nowNs);
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

    /**
     * A close frame arrived: the answer to the bot's own close, or else an error.
     */
    public void onCloseFrame(final int statusCode)
    {
        if (state == State.CLOSING)
        {
            handler.close();
        }
        else if (drainReconnectDelayNs != NONE_NS && statusCode == CloseCodes.GOING_AWAY)
        {
            onServerDrained(group.nanoTime());
        }
        else
        {
            failAndClose(BotError.UNEXPECTED_CLOSE, statusCode, CloseCodes.NORMAL, group.nanoTime());
        }
    }

    /**
     * A frame neither binary nor close arrived, such as a text frame: an error while joining or joined.
     */
    public void onUnexpectedFrame(final String kind)
    {
        if (state == State.JOINING || state == State.JOINED)
        {
            failAndClose(BotError.UNEXPECTED_MESSAGE, kind, CloseCodes.UNSUPPORTED_DATA, group.nanoTime());
        }
    }

    /**
     * A frame broke RFC 6455: an error in any state, and the connection is closed (with a close frame when joining or
     * joined).
     */
    public void onBadFrame(final String reason, final int closeCode)
    {
        failAndClose(BotError.BAD_FRAME, reason, closeCode, group.nanoTime());
    }

    /**
     * @return the event loop's view that the bot's {@link ServerFrameReader} hands payloads over in.
     */
    PayloadView payloadView()
    {
        return group.payloadView();
    }

    /**
     * @return the group's read pass, which reads the bot's plain epoll connection from its handshake on.
     */
    SocketReadPass readPass()
    {
        return group.readPass();
    }

    /**
     * @return the send ring of the bot's event loop, which takes sends within the group's cycle only; null when the
     * loop writes each bot's frames itself.
     */
    SendRing sendRing()
    {
        return group.sendRing();
    }

    /**
     * The channel closed: an error unless the bot asked; then backs off to return, or finishes.
     */
    void onChannelInactive()
    {
        if (isOnline() || state == State.CLOSING)
        {
            final long nowNs = group.nanoTime();
            if (state == State.CONNECTING && isResumingThroughMatchmaker())
            {
                abandonResume();
            }
            else if (state == State.CONNECTING)
            {
                countError(BotError.HANDSHAKE_FAILED, "connection closed during the handshake");
            }
            else if (drainReconnectDelayNs == NONE_NS &&
                (state == State.JOINED || (state == State.JOINING && resuming)) && mayResume() && !group.isStopping())
            {
                beginRehome(nowNs);
                returning = true;
            }
            else if (drainReconnectDelayNs == NONE_NS && state == State.JOINED && startsRehome(nowNs))
            {
                returning = true;
            }
            else if (state != State.CLOSING && drainReconnectDelayNs == NONE_NS)
            {
                countError(BotError.UNEXPECTED_CLOSE, "connection closed without a close frame");
            }
            leaveRoom(nowNs, drainReconnectDelayNs != NONE_NS);
            onConnectionEnded(nowNs);
        }
    }

    /**
     * An exception on the channel, which the handler then closes: counted while the bot is online.
     */
    void onException(final Throwable cause)
    {
        if (isOnline() && drainReconnectDelayNs != NONE_NS)
        {
            onServerDrained(group.nanoTime());
        }
        else if (state == State.CONNECTING && isResumingThroughMatchmaker())
        {
            abandonResume();
            transition(State.CLOSING, group.nanoTime() + group.config().closeTimeoutNs());
        }
        else if (state == State.JOINED && cause instanceof IOException && startsRehome(group.nanoTime()))
        {
            returning = true;
            leaveRoom(group.nanoTime(), false);
            transition(State.CLOSING, group.nanoTime() + group.config().closeTimeoutNs());
        }
        else if (isOnline())
        {
            final long nowNs = group.nanoTime();
            final boolean handshake = cause instanceof WebSocketHandshakeException;
            countError(handshake ? BotError.HANDSHAKE_FAILED : BotError.EXCEPTION, cause);
            leaveRoom(nowNs, false);
            transition(State.CLOSING, nowNs + group.config().closeTimeoutNs());
        }
    }

    State state()
    {
        return state;
    }

    BotHandler handler()
    {
        return handler;
    }

    long snapshotsReceived()
    {
        return stats.snapshotsReceived();
    }

    long errorCount()
    {
        return stats.errors();
    }

    int lastInputSeqSent()
    {
        return inputTimer.lastInputSeqSent();
    }

    /**
     * @return the sequence of the newest snapshot applied, which every input acknowledges; {@link Sequence#NONE}
     * before the first.
     */
    int ackSeq()
    {
        return checker.ackSeq();
    }

    /**
     * @return the bot's decoder, holding its current view; null before the first welcome, and the last session's
     * between sessions.
     */
    SnapshotDecoder decoder()
    {
        return checker.decoder();
    }

    /**
     * @return the bot's presence list: the players of its room as its stream told them.
     */
    PresenceList presence()
    {
        return stream.presence();
    }

    /**
     * @return what the bot sees of its room, for the end-of-run presence audit; null when it is not joined.
     */
    PresenceAudit.Report presenceReport()
    {
        return state == State.JOINED ?
            new PresenceAudit.Report(
                currentRoom, playerId, SwarmConfig.playerName(index), stream.presence().members()) :
            null;
    }

    /**
     * @param endNs end of the run, on the bot's clock; ends the joined time of a bot still joined.
     * @return the bot's figures.
     */
    BotResult result(final long endNs)
    {
        final boolean joinedNow = state == State.JOINED;
        return stats.result(index, currentRoom, joinedNow ? endNs - sessionStartNs : 0, joinedAtEnd || joinedNow);
    }

    /**
     * @return whether the bot lost its connection in a cluster and had not played again when asked; like
     * {@link #result(long)}, from another thread only after the event loop has terminated.
     */
    boolean isRehoming()
    {
        return lossAtNs != NONE_NS;
    }

    /**
     * @return whether the bot is on a connection that has not been asked to close: connecting, joining or joined.
     */
    private boolean isOnline()
    {
        return state == State.CONNECTING || state == State.JOINING || state == State.JOINED;
    }

    /**
     * Tracks a connection attempt made for this bot; the handshake follows when it succeeds.
     *
     * @param connectFuture completes when the TCP connection is made or has failed.
     */
    private void onConnectStarted(final ChannelFuture connectFuture)
    {
        transition(State.CONNECTING, BotGroup.NEVER);
        drainReconnectDelayNs = NONE_NS;
        channel = connectFuture.channel();
        connectFuture.addListener(connectListener);
    }

    private void onConnectComplete(final ChannelFuture future)
    {
        if (!future.isSuccess())
        {
            if (state == State.CONNECTING && isResumingThroughMatchmaker())
            {
                abandonResume();
            }
            else if (state == State.CONNECTING && lossAtNs != NONE_NS)
            {
                rejoinNext = true;
                returning = true;
            }
            else if (state == State.CONNECTING)
            {
                countError(BotError.CONNECT_FAILED, future.cause());
            }
            onConnectionEnded(group.nanoTime());
        }
    }

    private void onControlMessage(final Object message, final long nowNs)
    {
        if (message instanceof Welcome && state == State.JOINING)
        {
            onWelcome((Welcome)message, nowNs);
        }
        else if (message instanceof Notice && ((Notice)message).code() == Notice.CODE_SERVER_DRAINING)
        {
            drainReconnectDelayNs = TimeUnit.MILLISECONDS.toNanos(Integer.toUnsignedLong(((Notice)message).detail()));
            resumeToken = null;
        }
        else if (message instanceof Notice)
        {
            if (state == State.JOINING && resuming && ((Notice)message).code() == Notice.CODE_RESUME_REFUSED)
            {
                onResumeRefused(nowNs);
            }
            else if (state == State.JOINING && rejoinOffered)
            {
                onRejoinRefused(nowNs);
            }
            else if (state == State.JOINING)
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

    /**
     * The server refused the resume (the seat's grace ran out, or the token was used): counted; the bot waits for the
     * server's close (4005) and joins afresh after a backoff.
     */
    private void onResumeRefused(final long nowNs)
    {
        stats.onResumeRefused();
        resumeToken = null;
        resuming = false;
        rejoinNext = group.isMatchmaking();
        transition(State.CLOSING, nowNs + group.config().closeTimeoutNs());
    }

    /**
     * The node refused a rejoin (it holds no seat for the bot's identity: NOTICE, then close 4008): counted; the bot
     * waits for the server's close and asks the matchmaker afresh after a backoff.
     */
    private void onRejoinRefused(final long nowNs)
    {
        matchmaking.onRejoinRefused();
        resumeToken = null;
        rejoinNext = false;
        rejoinOffered = false;
        returning = true;
        transition(State.CLOSING, nowNs + group.config().closeTimeoutNs());
    }

    /**
     * Starts a connection: to the fixed URL without a matchmaker; with one, a RESUME goes back to the node of the
     * last placement, and anything else asks the matchmaker first.
     */
    private void startConnect(final long nowNs)
    {
        resumeOnConnect = returning && mayResume();
        if (!group.isMatchmaking())
        {
            onConnectStarted(group.connect(handler, group.fixedTarget()));
        }
        else if (resumeOnConnect && placement != null)
        {
            rejoinOffered = false;
            onConnectStarted(group.connect(handler, ConnectTarget.of(placement.url(), Reservations.forResume())));
        }
        else
        {
            resumeOnConnect = false;
            startMatchmake(nowNs);
        }
    }

    /**
     * Asks the matchmaker for a seat: in the room of the lost seat with the last reservation as proof when re-homing,
     * otherwise in the bot's room, or any open room with {@link SwarmConfig#matchmakerAny()}.
     */
    private void startMatchmake(final long nowNs)
    {
        final boolean rejoin = rejoinNext && placement != null;
        final String room = rejoin ? currentRoom : group.config().matchmakerAny() ? MatchRequest.ANY_ROOM : roomName;
        final MatchRequest request = new MatchRequest(roomType, room, SwarmConfig.playerName(index),
            rejoin ? placement.reservation() : null);
        final int attempt = ++matchAttempt;
        matchStartNs = nowNs;
        transition(State.MATCHMAKING, nowNs + MATCHMAKE_TIMEOUTS * group.config().connectTimeoutNs());
        group.matchmake(request, index, matchmakerFailover, answer -> onMatchAnswer(attempt, answer));
    }

    /**
     * The matchmaker answered attempt {@code attempt} (answers of attempts given up, or after the run stopped the
     * bot, are dropped): connects to the seat, asks again after a backoff when the refusal is temporary, falls back
     * to a fresh matchmake when a rejoin's room is gone, and otherwise counts the refusal as an error.
     */
    private void onMatchAnswer(final int attempt, final MatchAnswer answer)
    {
        if (attempt != matchAttempt || state != State.MATCHMAKING)
        {
            return;
        }
        matchAttempt++;
        final long nowNs = group.nanoTime();
        final boolean rejoin = rejoinNext && placement != null;
        if (answer instanceof MatchAnswer.Placed)
        {
            matchmaking.onPlaced(nowNs - matchStartNs);
            placement = (MatchAnswer.Placed)answer;
            currentRoom = placement.room();
            rejoinOffered = rejoin;
            onConnectStarted(group.connect(handler,
                ConnectTarget.of(placement.url(), Reservations.withReservation(placement.reservation()))));
            return;
        }
        final MatchAnswer.Refused refused = (MatchAnswer.Refused)answer;
        matchmaking.onRefused(refused.error(), nowNs - matchStartNs);
        matchmakerFailover += refused.error() == MatchError.TRANSPORT ? 1 : 0;
        rejoinNext = false;
        if (refused.error() == MatchError.ROOM_GONE && rejoin)
        {
            startMatchmake(nowNs);
        }
        else if (refused.error().retryable())
        {
            rejoinNext = rejoin;
            final long delayNs = Math.max(TimeUnit.MILLISECONDS.toNanos(refused.retryAfterMs()),
                group.rehomeBackoff().delayNs(failedAttempts++));
            transition(State.BACKOFF, nowNs + delayNs);
        }
        else
        {
            countError(refused.error() == MatchError.BAD_ANSWER ? BotError.MATCHMAKE_BAD_ANSWER :
                BotError.MATCHMAKE_REFUSED, refused.error() + " " + refused.detail());
            onConnectionEnded(nowNs);
        }
    }

    /**
     * @return whether the connection being made is a RESUME to the node of the last placement.
     */
    private boolean isResumingThroughMatchmaker()
    {
        return group.isMatchmaking() && resumeOnConnect;
    }

    /**
     * The node of the last placement did not take the RESUME (it is gone, or refused the connection): not an error
     * in a cluster; the bot rejoins through the matchmaker instead.
     */
    private void abandonResume()
    {
        resumeToken = null;
        resumeOnConnect = false;
        rejoinNext = true;
        returning = true;
    }

    /**
     * A joined bot's connection was lost without its asking (closed, or reset: its node died): in a cluster, with the
     * bot coming back after drops and the run going on, that is a re-home, not an error.
     *
     * @return whether it re-homes; {@link #beginRehome} has then started it.
     */
    private boolean startsRehome(final long nowNs)
    {
        if (group.isMatchmaking() && comesBack() && !group.isStopping())
        {
            beginRehome(nowNs);
            return true;
        }
        return false;
    }

    /**
     * A joined bot's connection was lost without its asking, in a cluster: starts the clock of its re-home (once per
     * loss, however many attempts it takes) and has the next matchmake prove the seat with the last reservation. A
     * placement on a node that died before the directory noticed fails to connect: part of the same re-home.
     */
    private void beginRehome(final long nowNs)
    {
        if (!group.isMatchmaking() || state != State.JOINED)
        {
            return;
        }
        rejoinNext = true;
        if (lossAtNs == NONE_NS)
        {
            lossAtNs = nowNs;
            entityBeforeLoss = entityId;
            matchmaking.onLoss(currentRoom, Integer.toUnsignedLong(checker.viewTick()));
        }
    }

    /**
     * @return whether the bot comes back from a drop with its resume token: resume is on and it has a token.
     */
    private boolean mayResume()
    {
        return group.config().resume() && resumeToken != null;
    }

    private void onWelcome(final Welcome welcome, final long nowNs)
    {
        final boolean resumed = resuming;
        resuming = false;
        if (resumed && (welcome.playerId() != playerId || welcome.entityId() != entityId))
        {
            failAndClose(BotError.RESUME_MISMATCH, "player " + playerId + " entity " + entityId + " came back as " +
                welcome.playerId() + " " + welcome.entityId(), CloseCodes.NORMAL, nowNs);
            return;
        }
        final int configuredRateHz = group.config().inputRateHz();
        final int rateHz = configuredRateHz > 0 ? configuredRateHz : welcome.tickRateHz();
        if (rateHz > SwarmConfig.MAX_INPUT_RATE_HZ || welcome.tickRateHz() < 1)
        {
            failAndClose(BotError.BAD_CONTROL, "welcome tick rate " + welcome.tickRateHz() + " Hz", CloseCodes.NORMAL,
                nowNs);
            return;
        }

        try
        {
            stream.onWelcome(welcome, resumed);
        }
        catch (final IllegalArgumentException ex)
        {
            failAndClose(BotError.BAD_CONTROL, ex.getMessage(), CloseCodes.NORMAL, nowNs);
            return;
        }
        final int inputSeqApplied = checker.lastInputSeqApplied();
        final int messageAck = checker.messageAck();
        checker.onWelcome(welcome.entitySchema(), welcome.historyWindowTicks(), welcome.entityId());
        inputCodec = new InputCodec(welcome.inputSchema());
        brain.onWelcome(welcome.inputSchema(), welcome.messageTypes(), welcome.playerId(), welcome.entityId());
        if (lossAtNs != NONE_NS)
        {
            matchmaking.onWelcomedBack(welcome.entityId() == entityBeforeLoss);
        }
        rejoinNext = false;
        rejoinOffered = false;
        playerId = welcome.playerId();
        entityId = welcome.entityId();
        resumeToken = welcome.resumeToken();
        if (resumed)
        {
            checker.onResumed(inputSeqApplied, messageAck);
        }
        else
        {
            inputTimer.reset();
            acks.reset();
            outbox.reset();
        }
        inputPeriodNs = NANOS_PER_SECOND / rateHz;
        tickPeriodNs = NANOS_PER_SECOND / welcome.tickRateHz();
        lastSnapshotAtNs = NONE_NS;
        lastSnapshotFull = false;
        nextInputNs = group.config().inputsFromWelcome() ? nowNs : nowNs + inputPhaseNs(index, inputPeriodNs);
        nextPingNs = group.config().pingIntervalNs() > 0 ? nowNs : BotGroup.NEVER;
        sessionStartNs = nowNs;
        stats.onJoined();
        if (returning)
        {
            returning = false;
            failedAttempts = 0;
            stats.onReconnect();
            metrics.add(GroupMetrics.RECONNECTS, 1);
        }
        transition(State.JOINED, BotGroup.NEVER);
        if (resumed)
        {
            stats.onResume();
            outbox.resendUnconfirmed();
        }
        group.schedule(slot, nowNs);
    }

    /**
     * Times the snapshot's arrival, has it checked, and counts it, or the error: a checksum mismatch leaves the bot
     * running on its last good view; any other error closes the connection.
     */
    private void onSnapshot(final UnsafeBuffer buffer, final int length, final long nowNs)
    {
        if (lastSnapshotAtNs != NONE_NS && !lastSnapshotFull)
        {
            metrics.recordJitter(Math.abs(nowNs - lastSnapshotAtNs - tickPeriodNs), nowNs);
        }
        lastSnapshotAtNs = nowNs;

        final int previousApplied = checker.lastInputSeqApplied();
        final BotError error =
            checker.check(buffer, length, inputTimer.lastInputSeqSent(), outbox.lastMessageSeqSent());
        if (error == BotError.CHECKSUM_MISMATCH)
        {
            stats.onChecksumMismatch();
            countError(error, checker.describe(error, buffer, length));
        }
        else if (error != null)
        {
            failAndClose(error, checker.describe(error, buffer, length), CloseCodes.PROTOCOL_ERROR, nowNs);
        }
        else
        {
            if (lossAtNs != NONE_NS)
            {
                matchmaking.onPlayingAgain(nowNs - lossAtNs);
                lossAtNs = NONE_NS;
            }
            inputTimer.onApplied(previousApplied, checker.lastInputSeqApplied(), nowNs);
            outbox.onConfirmed(checker.messageAck());
            lastSnapshotFull = checker.isFull(buffer);
            stats.onSnapshot(lastSnapshotFull, length);
            metrics.add(GroupMetrics.SNAPSHOTS, 1);
        }
    }

    /**
     * Fails the session on an error of its stream: a message out of order, malformed, or contradicting presence.
     */
    private void onStreamError(final BotError error, final long nowNs)
    {
        if (error != null)
        {
            failAndClose(error, "stream seq after " + stream.streamSeq(), CloseCodes.PROTOCOL_ERROR, nowNs);
        }
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

    /**
     * Sends the input, any ACK and the ping that are due, in one write to the socket, then asks the cycle for the bot
     * when the next one is; a send that fails the connection leaves the bot closing, with nothing more to send.
     */
    private void onJoinedDue(final long nowNs)
    {
        if (nowNs >= nextInputNs)
        {
            nextInputNs = nextAfter(nextInputNs, inputPeriodNs, nowNs);
            sendInput(nowNs);
            if (state == State.JOINED && acks.isAckDue(checker.ackSeq()))
            {
                sendAck();
            }
        }
        if (state == State.JOINED && nowNs >= nextPingNs)
        {
            nextPingNs = nextAfter(nextPingNs, group.config().pingIntervalNs(), nowNs);
            sendPing(nowNs);
        }
        if (state == State.JOINED)
        {
            handler.flush();
            group.schedule(slot, Math.min(nextInputNs, nextPingNs));
        }
    }

    /**
     * Queues the input the brain fills, unless the channel is not writable (counted as skipped); the caller flushes.
     */
    private void sendInput(final long nowNs)
    {
        if (!handler.isWritable())
        {
            stats.onInputSkipped();
            return;
        }

        InputValues.reset(inputCodec.schema(), inputValues);
        brain.onInputPeriod(checker.decoder(), inputValues, outbox, nowNs);
        if (state != State.JOINED)
        {
            return;
        }
        final int inputSeq = inputTimer.nextInputSeq();
        final int ack = checker.ackSeq();
        final UnsafeBuffer buffer = group.clientBuffer();
        final int length = inputCodec.encode(buffer, 0, ack, inputSeq, checker.viewTick(), inputValues);

        inputTimer.onSent(inputSeq, nowNs);
        acks.onSnapshotAckSent(ack);
        stats.onInputSent();
        handler.write(buffer, length);
    }

    /**
     * Queues an ACK of the newest snapshot applied and the newest stream message received, when the channel takes it;
     * the caller flushes.
     */
    private void sendAck()
    {
        if (handler.isWritable())
        {
            clientHeader(WireFormat.TYPE_ACK, ClientMessageFlyweight.ACK_LENGTH).messageAck(acks.streamSeq());
            acks.onAckSent(checker.ackSeq());
            stats.onAckSent();
            handler.write(group.clientBuffer(), ClientMessageFlyweight.ACK_LENGTH);
        }
    }

    /**
     * Sends a LEAVE, so a server that holds seats for resumes lets the player go at once.
     */
    private void sendLeave()
    {
        clientHeader(WireFormat.TYPE_LEAVE, ClientMessageFlyweight.LEAVE_LENGTH);
        handler.send(group.clientBuffer(), ClientMessageFlyweight.LEAVE_LENGTH);
    }

    /**
     * Queues a ping carrying its send time, when the channel takes it; the caller flushes.
     */
    private void sendPing(final long nowNs)
    {
        if (handler.isWritable())
        {
            clientHeader(WireFormat.TYPE_PING, ClientMessageFlyweight.PING_LENGTH).pingTimestamp(nowNs);
            lastPingNs = nowNs;
            handler.write(group.clientBuffer(), ClientMessageFlyweight.PING_LENGTH);
        }
    }

    /**
     * Starts a client message of fixed length in the group's client buffer: its type, and the newest snapshot
     * applied as its ack, which the ack tracker learns is carried.
     *
     * @return the group's flyweight over the message, for the caller to set the rest before sending.
     */
    private ClientMessageFlyweight clientHeader(final byte type, final int length)
    {
        final int ack = checker.ackSeq();
        acks.onSnapshotAckSent(ack);
        return group.clientMessage().wrap(group.clientBuffer(), 0, length).type(type).ack(ack);
    }

    /**
     * Asks the server to close: sends a close frame and waits, at most the close timeout, for the server to close.
     */
    private void sendClose(final int closeCode, final long nowNs)
    {
        transition(State.CLOSING, nowNs + group.config().closeTimeoutNs());
        handler.sendClose(closeCode);
    }

    /**
     * The server said it drains and closed with 1001: ends the session as planned, echoes the close and closes; the
     * bot comes back after the server's delay when it comes back after drops at all.
     */
    private void onServerDrained(final long nowNs)
    {
        beginRehome(nowNs);
        leaveRoom(nowNs, true);
        returning = comesBack();
        transition(State.CLOSING, nowNs + group.config().closeTimeoutNs());
        handler.sendCloseAndClose(CloseCodes.GOING_AWAY);
    }

    /**
     * @return whether the bot connects again after a drop it did not ask for: with churn, reconnect or resume on.
     */
    private boolean comesBack()
    {
        return group.config().reconnect() || group.config().resume() || group.config().churnPerSecond() > 0;
    }

    private void failAndClose(final BotError kind, final Object detail, final int closeCode, final long nowNs)
    {
        countError(kind, detail);
        final State previous = state;
        leaveRoom(nowNs, false);
        transition(State.CLOSING, nowNs + group.config().closeTimeoutNs());
        if (previous == State.JOINING || previous == State.JOINED)
        {
            handler.sendCloseAndClose(closeCode);
        }
        else
        {
            handler.close();
        }
    }

    private void countError(final BotError kind, final Object detail)
    {
        stats.onError();
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
            stats.onSessionEnded(nowNs - sessionStartNs, planned);
        }
    }

    /**
     * After the connection has closed or failed: backs off to connect again when the bot is coming back from a drop
     * and the run goes on, otherwise finishes for good.
     */
    private void onConnectionEnded(final long nowNs)
    {
        lastPingNs = NONE_NS;
        returning |= group.config().reconnect();
        if (returning && !group.isStopping())
        {
            final Backoff backoff = group.isMatchmaking() ? group.rehomeBackoff() : group.backoff();
            final long delayNs = drainReconnectDelayNs != NONE_NS ?
                drainReconnectDelayNs + backoff.delayNs(0) : backoff.delayNs(failedAttempts++);
            drainReconnectDelayNs = NONE_NS;
            transition(State.BACKOFF, nowNs + delayNs);
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
     * later, or, when the loop has fallen more than a period behind, the first time after {@code nowNs} on the same
     * grid, so it never bursts to catch up and keeps its phase. Re-anchored to the end of a stall instead, every bot
     * of a loop would leave the stall with the same phase and send its inputs in one burst from then on.
     */
    static long nextAfter(final long dueNs, final long periodNs, final long nowNs)
    {
        final long nextNs = dueNs + periodNs;
        return nextNs > nowNs ? nextNs : nowNs + periodNs - (nowNs - dueNs) % periodNs;
    }

    /**
     * @return how long after its WELCOME the bot sends its first input: a fraction of the period fixed by its index
     * and spread evenly over the swarm (the golden ratio's sequence). A real client's input clock does not follow
     * the server's ticks; started at the WELCOME, which a tick-paced server reads the JOIN for and answers at the
     * same point of every tick, every bot's inputs would arrive at one point of the server's tick, and the input
     * latency measured would depend on where that point fell.
     */
    static long inputPhaseNs(final int index, final long periodNs)
    {
        final double fraction = ((index * 0x9E37_79B9_7F4A_7C15L) >>> 11) * 0x1.0p-53;
        return (long)(fraction * periodNs);
    }

    /**
     * @return the bot's index in the swarm.
     */
    int index()
    {
        return index;
    }
}
