package io.tickwire.bots;

import io.tickwire.codec.Sequence;

/**
 * What one bot owes the server in acknowledgements, and the order of its stream. Every client message carries the
 * newest snapshot applied; only an ACK carries the newest stream message (room MESSAGE or PRESENCE) received. The
 * stream must arrive in order: each message's sequence exactly one more than the one before, from 1 after the
 * welcome. An ACK is due in an input period when a stream message arrived since the last ACK, or a snapshot was
 * applied that no message sent since has acknowledged; the session sends at most one per input period.
 * <p>
 * Owned by the bot's event loop; plain fields, allocation free.
 */
final class AckTracker
{
    private int streamSeq = Sequence.NONE;
    private int messageAckSent = Sequence.NONE;
    private int snapshotAckSent = Sequence.NONE;

    /**
     * A session starts: its stream starts at 1 and nothing has been acknowledged.
     */
    void reset()
    {
        streamSeq = Sequence.NONE;
        messageAckSent = Sequence.NONE;
        snapshotAckSent = Sequence.NONE;
    }

    /**
     * Checks and takes the sequence of a stream message.
     *
     * @return false when {@code seq} is not exactly one more than the last: a gap, a repeat or a step back.
     */
    boolean onStreamMessage(final int seq)
    {
        if (seq != Sequence.next(streamSeq))
        {
            return false;
        }
        streamSeq = seq;
        return true;
    }

    /**
     * @return the sequence of the newest stream message received in order; {@link Sequence#NONE} before the first.
     */
    int streamSeq()
    {
        return streamSeq;
    }

    /**
     * A client message went out carrying {@code snapshotAck}.
     */
    void onSnapshotAckSent(final int snapshotAck)
    {
        snapshotAckSent = snapshotAck;
    }

    /**
     * @param snapshotAck the newest snapshot applied now.
     * @return whether an ACK is due: a stream message or a snapshot has not been acknowledged yet.
     */
    boolean isAckDue(final int snapshotAck)
    {
        return streamSeq != messageAckSent || snapshotAck != snapshotAckSent;
    }

    /**
     * An ACK went out, carrying {@code snapshotAck} and {@link #streamSeq()}.
     */
    void onAckSent(final int snapshotAck)
    {
        snapshotAckSent = snapshotAck;
        messageAckSent = streamSeq;
    }
}
