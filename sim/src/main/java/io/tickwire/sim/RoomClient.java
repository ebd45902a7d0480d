package io.tickwire.sim;

import io.tickwire.codec.Sequence;

/**
 * A client's membership of a room: its link, its avatar, its inputs waiting for the next tick, its snapshot
 * sequence and ack, and the views recently sent to it. Owned by the room's shard thread.
 * <p>
 * Pending inputs are kept in a small ring in arrival order, which is sequence order because stale and duplicate
 * sequences are refused on arrival. Each tick applies at most a bounded number of them, each exactly once.
 */
final class RoomClient
{
    final ClientLink link;
    final Room room;
    final int entityId;
    final ClientHistory history;

    private final int[] pendingSeqs;
    private final int[] pendingMoveXs;
    private final int[] pendingMoveYs;
    private final int[] pendingButtons;
    private final int pendingMask;
    private long pendingHead;
    private long pendingTail;

    private int lastReceivedInputSeq = Sequence.NONE;
    private int lastAppliedInputSeq = Sequence.NONE;
    private int lastSnapshotSeq = Sequence.NONE;
    private int ackedSnapshotSeq = Sequence.NONE;

    RoomClient(
        final ClientLink link, final Room room, final int entityId, final int pendingInputCapacity,
        final int historyDepth, final int maxViewEntities)
    {
        if (Integer.bitCount(pendingInputCapacity) != 1)
        {
            throw new IllegalArgumentException("pendingInputCapacity must be a power of two: " + pendingInputCapacity);
        }
        this.link = link;
        this.room = room;
        this.entityId = entityId;
        this.history = new ClientHistory(historyDepth, maxViewEntities);
        pendingSeqs = new int[pendingInputCapacity];
        pendingMoveXs = new int[pendingInputCapacity];
        pendingMoveYs = new int[pendingInputCapacity];
        pendingButtons = new int[pendingInputCapacity];
        pendingMask = pendingInputCapacity - 1;
    }

    /**
     * Queues an input for the next tick.
     *
     * @return {@link #QUEUED}, {@link #STALE} when its sequence is not newer than the last one received, or
     * {@link #OVERFLOW} when the pending buffer is full.
     */
    int queueInput(final int inputSeq, final int moveX, final int moveY, final int buttons)
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
        pendingMoveXs[index] = moveX;
        pendingMoveYs[index] = moveY;
        pendingButtons[index] = buttons;
        pendingTail++;
        lastReceivedInputSeq = inputSeq;
        return QUEUED;
    }

    /**
     * Applies up to {@code maxInputs} pending inputs to the game, oldest first.
     *
     * @return the number applied.
     */
    int applyPendingInputs(final Game game, final int maxInputs)
    {
        int applied = 0;
        while (applied < maxInputs && pendingHead < pendingTail)
        {
            final int index = (int)(pendingHead & pendingMask);
            pendingHead++;
            lastAppliedInputSeq = pendingSeqs[index];
            applied++;
            game.onInput(entityId, pendingMoveXs[index], pendingMoveYs[index], pendingButtons[index]);
        }
        return applied;
    }

    /**
     * Records the client's ack unless it is from the future (newer than the last snapshot sent) or older than the
     * current ack.
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

    int pendingInputCount()
    {
        return (int)(pendingTail - pendingHead);
    }

    static final int QUEUED = 0;
    static final int STALE = 1;
    static final int OVERFLOW = 2;
}
