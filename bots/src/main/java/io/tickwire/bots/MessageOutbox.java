package io.tickwire.bots;

import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.Sequence;
import io.tickwire.codec.WireFormat;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Sends one bot's client MESSAGEs: a brain builds a message with {@link #begin(MessageType)} and sends it with
 * {@link #send(long)}, which numbers it (the session's message sequence: 1 for the first, then one more each), has it
 * carry the newest snapshot applied, and counts it. The encoder and buffer are the group's, shared by its bots.
 * <p>
 * Each message is kept until a snapshot's message ack confirms the server accepted it, at most
 * {@link #MAX_UNCONFIRMED}: after a resume the bot sends the unconfirmed ones again, with their sequences, and the
 * server drops those it has. A bot with that many unconfirmed sends no more until some are confirmed.
 * <p>
 * Owned by the bot's event loop. Allocation free once built, but for the frame a send writes.
 */
final class MessageOutbox
{
    private final BotHandler handler;
    private final MessageEncoder encoder;
    private final UnsafeBuffer buffer;
    private final SnapshotChecker checker;
    private final AckTracker acks;
    private final BotStats stats;
    /** Messages kept until confirmed; a power of two. */
    static final int MAX_UNCONFIRMED = 64;
    private static final int MASK = MAX_UNCONFIRMED - 1;

    private final byte[][] unconfirmed = new byte[MAX_UNCONFIRMED][WireFormat.MAX_CLIENT_MESSAGE_LENGTH];
    private final int[] unconfirmedLengths = new int[MAX_UNCONFIRMED];
    private final UnsafeBuffer resendBuffer = new UnsafeBuffer();
    private int lastMessageSeqSent = Sequence.NONE;
    private int confirmedSeq = Sequence.NONE;

    /**
     * @param handler sends the frames.
     * @param encoder the group's message encoder.
     * @param buffer  the group's buffer client messages are built in, at least a client frame long.
     * @param checker gives the newest snapshot applied, which every message acknowledges.
     * @param acks    learns that the snapshot ack was carried.
     * @param stats   counts the messages sent.
     */
    MessageOutbox(
        final BotHandler handler,
        final MessageEncoder encoder,
        final UnsafeBuffer buffer,
        final SnapshotChecker checker,
        final AckTracker acks,
        final BotStats stats)
    {
        this.handler = handler;
        this.encoder = encoder;
        this.buffer = buffer;
        this.checker = checker;
        this.acks = acks;
        this.stats = stats;
    }

    /**
     * A session starts: its messages are numbered from 1 again.
     */
    void reset()
    {
        lastMessageSeqSent = Sequence.NONE;
        confirmedSeq = Sequence.NONE;
    }

    /**
     * A snapshot confirmed the server accepted every message up to {@code messageAck}.
     */
    void onConfirmed(final int messageAck)
    {
        if (Sequence.isNewer(messageAck, confirmedSeq) && !Sequence.isNewer(messageAck, lastMessageSeqSent))
        {
            confirmedSeq = messageAck;
        }
    }

    /**
     * @return messages sent and not yet confirmed.
     */
    int unconfirmedCount()
    {
        return lastMessageSeqSent - confirmedSeq;
    }

    /**
     * After a resume: sends again, in order and with their sequences, every message not yet confirmed, each now
     * carrying the newest snapshot applied.
     *
     * @return the number of messages sent again.
     */
    int resendUnconfirmed()
    {
        final int ack = checker.ackSeq();
        final int count = unconfirmedCount();
        int seq = confirmedSeq;
        for (int resent = 0; resent < count; resent++)
        {
            seq = Sequence.next(seq);
            final int slot = seq & MASK;
            resendBuffer.wrap(unconfirmed[slot]);
            resendBuffer.putInt(1, ack, WireFormat.BYTE_ORDER);
            handler.send(resendBuffer, unconfirmedLengths[slot]);
        }
        acks.onSnapshotAckSent(ack);
        return count;
    }

    /**
     * @return the sequence of the last message sent in this session; {@link Sequence#NONE} before the first.
     */
    int lastMessageSeqSent()
    {
        return lastMessageSeqSent;
    }

    /**
     * Starts a message; every field is at its min, or empty, until set on the encoder returned.
     *
     * @param type a type of the game the client may send.
     * @return the group's encoder, to set the fields on before {@link #send(long)}.
     */
    MessageEncoder begin(final MessageType type)
    {
        return encoder.begin(type);
    }

    /**
     * Sends the message begun last, unless the channel is not writable.
     *
     * @param nowNs the group's clock, in nanoseconds.
     * @return the message's sequence, or {@link Sequence#NONE} when it was not sent.
     */
    int send(final long nowNs)
    {
        if (!handler.isWritable() || unconfirmedCount() >= MAX_UNCONFIRMED)
        {
            return Sequence.NONE;
        }
        final int messageSeq = Sequence.next(lastMessageSeqSent);
        final int ack = checker.ackSeq();
        final int length = encoder.encodeClientMessage(buffer, 0, ack, messageSeq);
        lastMessageSeqSent = messageSeq;
        buffer.getBytes(0, unconfirmed[messageSeq & MASK], 0, length);
        unconfirmedLengths[messageSeq & MASK] = length;
        acks.onSnapshotAckSent(ack);
        stats.onMessageSent();
        handler.send(buffer, length);
        return messageSeq;
    }
}
