package io.tickwire.sim;

import io.tickwire.api.Identity;
import io.tickwire.api.JoinOptions;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Player;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.Sequence;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ResumeToken;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * A client's membership of a room, and the {@link Player} handle its game sees: its link, its player id and
 * presence (name, avatar, metadata), its inputs waiting for the next tick, its snapshot sequence and ack, its
 * stream of room messages and presence events with their ack, and the views recently sent to it. Owned by the
 * room's shard thread.
 * <pre>
 *   REQUESTING --accepted, seated--> JOINING --welcome sent--> JOINED --leave, close, kick--> LEAVING
 *   LEAVING --removed at the next safe point, onLeave--> GONE (the handle is dead)
 *   JOINED: link closed, resume on --> detached (still JOINED: the game sees the player) --resume, or a newer
 *           connection of its identity--> attached to the new link; --grace over--> removed, onLeave(DISCONNECTED)
 * </pre>
 * With resume on, every stream message sent is kept (in a ring that grows to at most the message backlog's worth,
 * then allocates nothing) until the client acknowledges it, so a resume can send again what the client missed.
 * Pending inputs are kept in a small ring in arrival order, which is sequence order because stale and duplicate
 * sequences are refused on arrival. Each tick applies at most a bounded number of them, each exactly once.
 */
final class RoomClient implements Player
{
    static final int REQUESTING = 0;
    static final int JOINING = 1;
    static final int JOINED = 2;
    static final int LEAVING = 3;
    static final int GONE = 4;

    static final int QUEUED = 0;
    static final int STALE = 1;
    static final int OVERFLOW = 2;
    /** No input applied since the last snapshot: the snapshot is written after those that show one. */
    static final long NO_ARRIVAL = ClientLink.UNRANKED;

    /** Longest stream message: a room MESSAGE of the longest fields; a PRESENCE is shorter. */
    private static final int MAX_STREAM_MESSAGE_LENGTH = WireFormat.STREAM_HEADER_LENGTH + 5 +
        MessageType.MAX_ROOM_FIELDS_LENGTH;

    ClientLink link;
    final Room room;
    final ClientHistory history;
    private final int playerId;
    private final String name;
    private final Identity identity;
    private final JoinOptions options;
    private final Metadata metadata = new Metadata(MAX_METADATA_ENTRIES, MAX_METADATA_KEY_LENGTH,
        MAX_METADATA_VALUE_LENGTH);
    private int state = REQUESTING;
    private LeaveReason leaveReason;
    private int entityId = NO_ENTITY;
    private Object attachment;

    private final int fieldCount;
    private final int[] pendingSeqs;
    private final int[] pendingViewTicks;
    private final int[] pendingValues;
    /** The shard's arrival rank of each pending input ({@link #queueInput}). */
    private final long[] pendingArrivals;
    private final int pendingMask;
    private long pendingHead;
    private long pendingTail;
    private int lastReceivedInputSeq = Sequence.NONE;
    private int lastAppliedInputSeq = Sequence.NONE;
    private long lastViewTick;
    /** The arrival rank of the oldest input applied since the last snapshot was sent; {@link #NO_ARRIVAL} if none. */
    private long unshownArrival = NO_ARRIVAL;

    private int lastSnapshotSeq = Sequence.NONE;
    private int lastSnapshotBytes;
    private long lastFullSnapshotTick = Long.MIN_VALUE;
    private int ackedSnapshotSeq = Sequence.NONE;

    private int streamSeq = Sequence.NONE;
    private int streamAck = Sequence.NONE;

    private int lastClientMessageSeq = Sequence.NONE;
    private int confirmedClientMessageSeq = Sequence.NONE;
    private int carriedClientMessageSeq = Sequence.NONE;
    private int firstCarryingSnapshotSeq = Sequence.NONE;
    private List<byte[]> deferred;
    private int presenceFrom;

    private final ExpandableRingBuffer unackedStream;
    private final ExpandableRingBuffer.MessageConsumer trimAcked = this::trimAcked;
    private boolean detached;
    private long detachedAtTick;
    private LeaveReason detachReason;
    private long graceTicks;
    private boolean awaitingRehome;
    private ResumeToken resumeToken;
    private ResumeToken previousToken;

    RoomClient(
        final ClientLink link, final Room room, final int playerId, final String name, final Identity identity,
        final JoinOptions options,
        final int inputFieldCount, final int pendingInputCapacity, final int historyDepth, final int maxViewEntities,
        final int maxUnackedMessages, final boolean keepUnacked)
    {
        if (Integer.bitCount(pendingInputCapacity) != 1)
        {
            throw new IllegalArgumentException("pendingInputCapacity must be a power of two: " + pendingInputCapacity);
        }
        this.link = link;
        this.room = room;
        this.playerId = playerId;
        this.name = name;
        this.identity = identity;
        this.options = options;
        this.history = new ClientHistory(historyDepth, maxViewEntities);
        this.fieldCount = inputFieldCount;
        pendingSeqs = new int[pendingInputCapacity];
        pendingViewTicks = new int[pendingInputCapacity];
        pendingValues = new int[pendingInputCapacity * Math.max(1, inputFieldCount)];
        pendingArrivals = new long[pendingInputCapacity];
        pendingMask = pendingInputCapacity - 1;
        unackedStream = keepUnacked ? new ExpandableRingBuffer(0, BitUtil.findNextPositivePowerOfTwo(
            (maxUnackedMessages + 1) * (MAX_STREAM_MESSAGE_LENGTH + 2 * ExpandableRingBuffer.HEADER_LENGTH)), false) :
            null;
    }

    public int id()
    {
        return playerId;
    }

    public String name()
    {
        return name;
    }

    public Identity identity()
    {
        return identity;
    }

    public JoinOptions options()
    {
        return options;
    }

    public int entityId()
    {
        return entityId;
    }

    public void setEntityId(final int entityId)
    {
        if ((entityId < 0 && entityId != NO_ENTITY) || entityId == Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(
                "an avatar's id is 0..Integer.MAX_VALUE - 1, or NO_ENTITY: " + entityId);
        }
        if (entityId != this.entityId)
        {
            this.entityId = entityId;
            room.onPresenceChanged(this);
        }
    }

    public String metadata(final String key)
    {
        return metadata.get(key);
    }

    public void setMetadata(final String key, final String value)
    {
        if (metadata.put(key, value))
        {
            room.onPresenceChanged(this);
        }
    }

    public int lastInputSeq()
    {
        return lastAppliedInputSeq;
    }

    public long viewTick()
    {
        return lastViewTick;
    }

    public Object attachment()
    {
        return attachment;
    }

    public void attach(final Object attachment)
    {
        this.attachment = attachment;
    }

    public String toString()
    {
        return "Player{" + playerId + ", " + name + "}";
    }

    Metadata presenceMetadata()
    {
        return metadata;
    }

    int state()
    {
        return state;
    }

    boolean isJoined()
    {
        return state == JOINED;
    }

    void onSeated()
    {
        state = JOINING;
    }

    void onRemoved()
    {
        state = GONE;
    }

    /**
     * @return true from the seat to the removal: a handle a game may send to, kick or change.
     */
    boolean isSeated()
    {
        return state >= JOINING && state <= LEAVING;
    }

    /**
     * The welcome and presence list are sent: the client is joined, unless it was marked leaving meanwhile (its
     * presence list alone went over its message backlog).
     */
    void onWelcomed()
    {
        if (state == JOINING)
        {
            state = JOINED;
        }
    }

    /**
     * Marks the client as leaving, for the reason given first; it is removed from the room at the next safe point.
     */
    void markLeaving(final LeaveReason reason)
    {
        if (state < LEAVING)
        {
            state = LEAVING;
            leaveReason = reason;
        }
    }

    /**
     * @return why the client is leaving; {@link LeaveReason#DISCONNECTED} when its link closed without a reason.
     */
    LeaveReason leaveReason()
    {
        return leaveReason != null ? leaveReason : LeaveReason.DISCONNECTED;
    }

    /**
     * Queues an input for the next tick; {@code values} holds one value per input field, already range checked.
     *
     * @param arrival the input's rank in the order its shard took inputs from its ring (ascending, never
     *                {@link #NO_ARRIVAL}): the snapshot that first shows it is written in that order
     *                ({@link #takeUnshownArrival}).
     * @return {@link #QUEUED}, {@link #STALE} when its sequence is not newer than the last one received, or
     * {@link #OVERFLOW} when the pending buffer is full.
     */
    int queueInput(final int inputSeq, final int viewTick, final int[] values, final long arrival)
    {
        if (lastReceivedInputSeq != Sequence.NONE && !Sequence.isNewer(inputSeq, lastReceivedInputSeq))
        {
            return STALE;
        }
        if (pendingTail - pendingHead > pendingMask)
        {
            return OVERFLOW;
        }

        final int index = (int)(pendingTail & pendingMask);
        pendingSeqs[index] = inputSeq;
        pendingViewTicks[index] = viewTick;
        System.arraycopy(values, 0, pendingValues, index * fieldCount, fieldCount);
        pendingArrivals[index] = arrival;
        pendingTail++;
        lastReceivedInputSeq = inputSeq;
        return QUEUED;
    }

    /**
     * @return true when an input waits; {@link #takeInput(RoomInput)} then hands the oldest to the game.
     */
    boolean hasPendingInput()
    {
        return pendingHead < pendingTail;
    }

    /**
     * Points {@code input} at the oldest pending input and consumes it: it is applied exactly once, even when the
     * game's callback throws.
     */
    void takeInput(final RoomInput input)
    {
        final int index = (int)(pendingHead & pendingMask);
        pendingHead++;
        lastAppliedInputSeq = pendingSeqs[index];
        lastViewTick = pendingViewTicks[index] & 0xFFFF_FFFFL;
        if (unshownArrival == NO_ARRIVAL)
        {
            unshownArrival = pendingArrivals[index];
        }
        input.wrap(pendingSeqs[index], lastViewTick, pendingValues, index * fieldCount, fieldCount);
    }

    /**
     * @return the arrival rank of the oldest input applied since the last {@link #takeUnshownArrival}, or
     * {@link #NO_ARRIVAL}; the fan-out orders a tick's snapshots by it.
     */
    long unshownArrival()
    {
        return unshownArrival;
    }

    /**
     * @return the arrival rank of the oldest input applied since the last call, or {@link #NO_ARRIVAL}: called as its
     * snapshot is offered, which then shows that input.
     */
    long takeUnshownArrival()
    {
        final long arrival = unshownArrival;
        unshownArrival = NO_ARRIVAL;
        return arrival;
    }

    int pendingInputCount()
    {
        return (int)(pendingTail - pendingHead);
    }

    /**
     * Records the client's snapshot ack unless it is from the future (newer than the last snapshot sent) or older
     * than the current ack.
     *
     * @return false when the ack was ignored.
     */
    boolean onAck(final int ack)
    {
        if (ack == ackedSnapshotSeq)
        {
            return true;
        }
        if (lastSnapshotSeq == Sequence.NONE || Sequence.isNewer(ack, lastSnapshotSeq) ||
            (ackedSnapshotSeq != Sequence.NONE && !Sequence.isNewer(ack, ackedSnapshotSeq)))
        {
            return false;
        }
        ackedSnapshotSeq = ack;
        if (firstCarryingSnapshotSeq != Sequence.NONE && !Sequence.isNewer(firstCarryingSnapshotSeq, ack))
        {
            confirmedClientMessageSeq = carriedClientMessageSeq;
            firstCarryingSnapshotSeq = Sequence.NONE;
        }
        return true;
    }

    /**
     * @return the sequence of the snapshot being sent now.
     */
    int nextSnapshotSeq()
    {
        lastSnapshotSeq = Sequence.next(lastSnapshotSeq);
        return lastSnapshotSeq;
    }

    /**
     * @return the length in bytes of the last snapshot sent, 0 before the first: the client's cost, by which an
     * overloaded shard chooses whom to send to less often.
     */
    int lastSnapshotBytes()
    {
        return lastSnapshotBytes;
    }

    void lastSnapshotBytes(final int bytes)
    {
        lastSnapshotBytes = bytes;
    }

    /**
     * @return the tick of the last full snapshot sent to this client's connection; {@link Long#MIN_VALUE} before the
     * first.
     */
    long lastFullSnapshotTick()
    {
        return lastFullSnapshotTick;
    }

    void onFullSnapshotSent(final long tick)
    {
        lastFullSnapshotTick = tick;
    }

    int lastAppliedInputSeq()
    {
        return lastAppliedInputSeq;
    }

    int ackedSnapshotSeq()
    {
        return ackedSnapshotSeq;
    }

    int lastSnapshotSeq()
    {
        return lastSnapshotSeq;
    }

    /**
     * Records a client message the room accepted (the event loop checked its sequence is the previous + 1).
     */
    void onClientMessage(final int messageSeq)
    {
        lastClientMessageSeq = messageSeq;
    }

    /**
     * @return the client message ack the snapshot being sent with sequence {@code snapshotSeq} carries, or
     * {@link Sequence#NONE} when the client has already acknowledged a snapshot that carried the current value.
     * The value is confirmed by the ack of any snapshot from the first that carried it: acks lag a round trip behind,
     * so waiting for the ack of the latest carrying snapshot would carry the value for ever.
     */
    int messageAckFor(final int snapshotSeq)
    {
        if (lastClientMessageSeq == confirmedClientMessageSeq)
        {
            return Sequence.NONE;
        }
        if (carriedClientMessageSeq != lastClientMessageSeq || firstCarryingSnapshotSeq == Sequence.NONE)
        {
            carriedClientMessageSeq = lastClientMessageSeq;
            firstCarryingSnapshotSeq = snapshotSeq;
        }
        return lastClientMessageSeq;
    }

    /**
     * Keeps a copy of a stream message sent while the client is joining, to send after its welcome. Joining is one
     * callback long, so this allocates only for messages a game sends from {@code onJoin}.
     */
    void defer(final DirectBuffer buffer, final int length)
    {
        if (deferred == null)
        {
            deferred = new ArrayList<>(4);
        }
        final byte[] copy = new byte[length];
        buffer.getBytes(0, copy);
        deferred.add(copy);
    }

    /**
     * Records where in the room's presence batch the events this client has not seen start: its presence list
     * already shows those before.
     */
    void presenceFrom(final int batchOffset)
    {
        presenceFrom = batchOffset;
    }

    /**
     * @return the batch offset from which this client gets the room's presence batch (0: all of it), and clears it.
     */
    int takePresenceFrom()
    {
        final int from = presenceFrom;
        presenceFrom = 0;
        return from;
    }

    int deferredCount()
    {
        return deferred == null ? 0 : deferred.size();
    }

    /**
     * @return the messages deferred while joining, in order, or null; the client keeps none after this call.
     */
    byte[][] takeDeferred()
    {
        if (deferred == null)
        {
            return null;
        }
        final byte[][] messages = deferred.toArray(new byte[0][]);
        deferred = null;
        return messages;
    }

    /**
     * @return the stream sequence of the next room message or presence event to this client.
     */
    int nextStreamSeq()
    {
        streamSeq = Sequence.next(streamSeq);
        return streamSeq;
    }

    /**
     * @return stream messages sent and not yet acknowledged.
     */
    int unackedStreamMessages()
    {
        return streamSeq - streamAck;
    }

    /**
     * Records the client's stream ack unless it is newer than the last stream message sent or older than the
     * current one.
     *
     * @return false when the ack was ignored.
     */
    boolean onStreamAck(final int ack)
    {
        if (ack == streamAck)
        {
            return true;
        }
        if (Sequence.isNewer(ack, streamSeq) || (streamAck != Sequence.NONE && !Sequence.isNewer(ack, streamAck)))
        {
            return false;
        }
        streamAck = ack;
        if (unackedStream != null)
        {
            unackedStream.consume(trimAcked, Integer.MAX_VALUE);
        }
        return true;
    }

    private boolean trimAcked(final MutableDirectBuffer buffer, final int offset, final int length, final int head)
    {
        return !Sequence.isNewer(buffer.getInt(offset + 1, WireFormat.BYTE_ORDER), streamAck);
    }

    /**
     * Keeps a stream message just sent, its sequence patched, until the client acknowledges it; nothing when resume
     * is off. The message backlog bounds what is kept: a client over it is closed before the ring could fill.
     */
    void keepUnacked(final DirectBuffer buffer, final int length)
    {
        if (unackedStream != null)
        {
            unackedStream.append(buffer, 0, length);
        }
    }

    /**
     * Hands each stream message sent and not acknowledged, oldest first, to {@code consumer}.
     */
    void forEachUnacked(final ExpandableRingBuffer.MessageConsumer consumer)
    {
        if (unackedStream != null)
        {
            unackedStream.forEach(consumer, Integer.MAX_VALUE);
        }
    }

    /**
     * @return whether the link closed while the player keeps its seat for a resume.
     */
    boolean isDetached()
    {
        return detached;
    }

    /**
     * The link closed: the player keeps its seat, and the game sees it present, until a resume or the end of the
     * grace. Inputs received before stay queued and are applied; no new ones come.
     *
     * @param graceTicks how long the seat waits, in ticks from {@code tick}.
     */
    void detach(final long tick, final LeaveReason reason, final long graceTicks)
    {
        detached = true;
        detachedAtTick = tick;
        detachReason = reason;
        this.graceTicks = graceTicks;
    }

    /**
     * Makes this new client a seat restored from a checkpoint: joined (the game knew it), detached (no connection:
     * {@link ClientLink#DETACHED}) until its identity joins again and takes it over, with its avatar and presence
     * metadata as saved. Room messages are not kept for it: a re-homed client starts a new stream.
     */
    void restoreDetached(
        final int entityId, final String[] metaKeys, final String[] metaValues, final int metaCount, final long tick,
        final long graceTicks)
    {
        for (int i = 0; i < metaCount; i++)
        {
            metadata.put(metaKeys[i], metaValues[i]);
        }
        this.entityId = entityId;
        state = JOINED;
        awaitingRehome = true;
        detach(tick, LeaveReason.DISCONNECTED, graceTicks);
    }

    /**
     * @return whether this seat was restored from a checkpoint and no connection has taken it yet.
     */
    boolean isAwaitingRehome()
    {
        return awaitingRehome;
    }

    /**
     * @return whether a detached player's grace is over at {@code tick}.
     */
    boolean isGraceOver(final long tick)
    {
        return detached && tick - detachedAtTick >= graceTicks;
    }

    /**
     * @return why the detached player's link closed: {@link LeaveReason#DISCONNECTED} or {@link LeaveReason#IDLE}.
     */
    LeaveReason detachReason()
    {
        return detachReason;
    }

    ResumeToken resumeToken()
    {
        return resumeToken;
    }

    void resumeToken(final ResumeToken token)
    {
        resumeToken = token;
    }

    /**
     * @return the token this seat was last resumed with while its new connection has not yet shown that it received
     * the WELCOME carrying {@link #resumeToken()}; null otherwise.
     */
    ResumeToken previousToken()
    {
        return previousToken;
    }

    void previousToken(final ResumeToken token)
    {
        previousToken = token;
    }

    /**
     * @return whether a resume may go on from the client's stream ack {@code messageAck}: not older than what it
     * acknowledged (those messages are gone), not newer than the last message sent.
     */
    boolean canResumeFrom(final int messageAck)
    {
        return unackedStream != null && !Sequence.isNewer(streamAck, messageAck) &&
            !Sequence.isNewer(messageAck, streamSeq);
    }

    /**
     * Resumes the seat on {@code newLink}: the stream goes on after {@code messageAck} (the caller checked
     * {@link #canResumeFrom}), inputs and client messages go on with their sequences (older ones are dropped), and
     * the snapshot sequence goes on while the baseline is gone, so the next snapshot is full. The client message ack
     * is carried again in snapshots until confirmed.
     */
    void onResumed(final ClientLink newLink, final int messageAck)
    {
        attach(newLink);
        onStreamAck(messageAck);
        confirmedClientMessageSeq = Sequence.NONE;
        carriedClientMessageSeq = Sequence.NONE;
        firstCarryingSnapshotSeq = Sequence.NONE;
    }

    /**
     * A newer connection of the player's identity takes the seat: a new client on the same avatar. Its stream, its
     * inputs and its client messages are numbered from 1 again; the inputs still waiting from the old connection are
     * dropped, and the kept stream messages forgotten (the caller resends the room messages among them first).
     *
     * @return the inputs dropped.
     */
    int onReplaced(final ClientLink newLink)
    {
        attach(newLink);
        streamSeq = Sequence.NONE;
        streamAck = Sequence.NONE;
        if (unackedStream != null)
        {
            unackedStream.reset(0);
        }
        lastClientMessageSeq = Sequence.NONE;
        confirmedClientMessageSeq = Sequence.NONE;
        carriedClientMessageSeq = Sequence.NONE;
        firstCarryingSnapshotSeq = Sequence.NONE;
        final int dropped = pendingInputCount();
        pendingHead = pendingTail;
        lastReceivedInputSeq = Sequence.NONE;
        lastAppliedInputSeq = Sequence.NONE;
        return dropped;
    }

    private void attach(final ClientLink newLink)
    {
        link = newLink;
        detached = false;
        awaitingRehome = false;
        detachReason = null;
        ackedSnapshotSeq = Sequence.NONE;
        lastFullSnapshotTick = Long.MIN_VALUE;
    }

    /**
     * @return the newest client message the room accepted from this player; {@link Sequence#NONE} before the first.
     */
    int lastClientMessageSeq()
    {
        return lastClientMessageSeq;
    }
}
