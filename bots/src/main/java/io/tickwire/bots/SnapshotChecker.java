package io.tickwire.bots;

import io.tickwire.api.schema.EntitySchema;
import io.tickwire.codec.Sequence;
import io.tickwire.codec.SnapshotDecoder;
import io.tickwire.codec.SnapshotHeaderFlyweight;
import io.tickwire.codec.control.Welcome;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decodes one bot's snapshots and checks each against the protocol: it decodes against a baseline the bot holds,
 * with a sequence newer than the last and a matching view checksum; the bot's own entity, when it has one, is in the
 * view; the last applied input neither goes back nor passes the last input sent; and the message ack, when carried,
 * neither goes back nor passes the last message sent. The decoder keeps the bot's view and the snapshots
 * the server may still delta against; a new one is made for each session, from the schema its welcome carries.
 * <p>
 * Owned by the bot's event loop. Allocates nothing per snapshot; only describing a rejected snapshot for the error
 * log does, once per bot as it closes.
 */
final class SnapshotChecker
{
    /** Most entities a bot's view may hold; a snapshot whose view holds more fails the bot. */
    private static final int MAX_VIEW_ENTITIES = 0xFFFF;

    private final SnapshotHeaderFlyweight header;
    private SnapshotDecoder decoder;
    private int entityId;
    private int lastInputSeqApplied = Sequence.NONE;
    private int lastMessageAck = Sequence.NONE;

    /**
     * @param header a flyweight for reading snapshot headers, shared by the bots of the event loop.
     */
    SnapshotChecker(final SnapshotHeaderFlyweight header)
    {
        this.header = header;
    }

    /**
     * Starts a session: a fresh decoder for the welcome's schema and no snapshot applied yet.
     *
     * @param schema             the room's entity schema.
     * @param historyWindowTicks ticks of snapshots the server may delta against.
     * @param ownEntityId        the bot's own entity, which every snapshot must show; {@link Welcome#NO_ENTITY} for
     *                           none.
     */
    void onWelcome(final EntitySchema schema, final int historyWindowTicks, final int ownEntityId)
    {
        decoder = new SnapshotDecoder(schema, historyWindowTicks, MAX_VIEW_ENTITIES);
        entityId = ownEntityId;
        lastInputSeqApplied = Sequence.NONE;
        lastMessageAck = Sequence.NONE;
    }

    /**
     * A session resumed: the new decoder starts empty (the first snapshot is full), while the input and message
     * acks go on from where the last session left them.
     */
    void onResumed(final int previousInputSeqApplied, final int previousMessageAck)
    {
        lastInputSeqApplied = previousInputSeqApplied;
        lastMessageAck = previousMessageAck;
    }

    /**
     * Decodes and checks one snapshot; the view changes only when it is applied.
     *
     * @param buffer           the whole SNAPSHOT message, from index 0.
     * @param length           its length in bytes.
     * @param lastInputSeqSent   the last input the bot sent in this session.
     * @param lastMessageSeqSent the last message the bot sent in this session.
     * @return null when the snapshot was applied and passed every check; {@link BotError#CHECKSUM_MISMATCH} when it
     * decoded to a view that is not the server's, and the decoder kept its last good view; otherwise the protocol
     * error that should end the bot's session.
     */
    BotError check(
        final UnsafeBuffer buffer, final int length, final int lastInputSeqSent, final int lastMessageSeqSent)
    {
        final SnapshotDecoder.Result result = decoder.decode(buffer, 0, length);
        if (result != SnapshotDecoder.Result.APPLIED)
        {
            return rejection(result);
        }

        final int lastInputSeq = decoder.lastInputSeq();
        if (Sequence.isNewer(lastInputSeq, lastInputSeqSent) || Sequence.isNewer(lastInputSeqApplied, lastInputSeq))
        {
            return BotError.BAD_INPUT_ACK;
        }
        final int messageAck = decoder.messageAck();
        if (messageAck != Sequence.NONE &&
            (Sequence.isNewer(messageAck, lastMessageSeqSent) || Sequence.isNewer(lastMessageAck, messageAck)))
        {
            return BotError.BAD_MESSAGE_ACK;
        }
        if (entityId != Welcome.NO_ENTITY && decoder.indexOf(entityId) < 0)
        {
            return BotError.MISSING_OWN_ENTITY;
        }
        lastInputSeqApplied = lastInputSeq;
        lastMessageAck = messageAck == Sequence.NONE ? lastMessageAck : messageAck;
        return null;
    }

    /**
     * @return the newest client message ack the snapshots of this session carried; {@link Sequence#NONE} before one.
     */
    int messageAck()
    {
        return lastMessageAck;
    }

    /**
     * @return whether the snapshot in {@code buffer} is full: it has no baseline. Call only after it was applied.
     */
    boolean isFull(final UnsafeBuffer buffer)
    {
        return header.wrap(buffer, 0).baselineSeq() == Sequence.NONE;
    }

    /**
     * @return the last input applied by a snapshot of this session; {@link Sequence#NONE} before the first.
     */
    int lastInputSeqApplied()
    {
        return lastInputSeqApplied;
    }

    /**
     * @return the sequence of the newest snapshot applied, which every client message acknowledges;
     * {@link Sequence#NONE} before the first, or before the first welcome.
     */
    int ackSeq()
    {
        return decoder == null ? Sequence.NONE : decoder.ackSeq();
    }

    /**
     * @return the tick of the newest snapshot applied, which inputs carry as their view tick; 0 before the first.
     */
    int viewTick()
    {
        return ackSeq() == Sequence.NONE ? 0 : decoder.tick();
    }

    /**
     * @return the decoder, holding the current view; null before the first welcome, and the last session's between
     * sessions.
     */
    SnapshotDecoder decoder()
    {
        return decoder;
    }

    /**
     * @return the bot's own entity, as the last welcome named it.
     */
    int entityId()
    {
        return entityId;
    }

    /**
     * @param kind   what {@link #check} returned for the snapshot in {@code buffer}.
     * @param length the snapshot's length in bytes.
     * @return what to log about it: the sequence of a mismatched view, the bot's entity when it was missing, the
     * last input sequence when out of range, otherwise the header fields. Allocates; called on errors only.
     */
    Object describe(final BotError kind, final UnsafeBuffer buffer, final int length)
    {
        switch (kind)
        {
            case CHECKSUM_MISMATCH:
                return header.wrap(buffer, 0).snapshotSeq();
            case MISSING_OWN_ENTITY:
                return entityId;
            case BAD_INPUT_ACK:
                return decoder.lastInputSeq();
            case BAD_MESSAGE_ACK:
                return decoder.messageAck();
            default:
                return describeHeader(buffer, length);
        }
    }

    private static BotError rejection(final SnapshotDecoder.Result result)
    {
        switch (result)
        {
            case CHECKSUM_MISMATCH:
                return BotError.CHECKSUM_MISMATCH;
            case STALE:
                return BotError.STALE_SNAPSHOT;
            case UNKNOWN_BASELINE:
                return BotError.UNKNOWN_BASELINE;
            case TOO_MANY_ENTITIES:
                return BotError.TOO_MANY_ENTITIES;
            default:
                return BotError.BAD_SNAPSHOT;
        }
    }

    private String describeHeader(final UnsafeBuffer buffer, final int length)
    {
        if (length < SnapshotHeaderFlyweight.LENGTH)
        {
            return length + " bytes, shorter than the header";
        }
        header.wrap(buffer, 0);
        return "seq " + Integer.toUnsignedString(header.snapshotSeq()) +
            ", baseline " + Integer.toUnsignedString(header.baselineSeq()) +
            ", tick " + Integer.toUnsignedString(header.tick()) +
            ", ack " + Integer.toUnsignedString(decoder.ackSeq()) +
            ", " + length + " bytes";
    }
}
