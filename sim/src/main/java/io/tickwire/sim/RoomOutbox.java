package io.tickwire.sim;

import io.tickwire.api.LeaveReason;
import io.tickwire.api.MessageWriter;
import io.tickwire.api.Player;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.VarInts;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.PresenceEncoder;
import io.tickwire.codec.control.PresenceEntry;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The stream of events a room sends its clients: game messages ({@link MessageWriter}) and presence events. Every
 * stream message a client receives carries the next number of that client's stream sequence; the client
 * acknowledges the stream like snapshots. Unlike snapshots, stream messages are never conflated or dropped:
 * <ul>
 *   <li>a JOINING client's messages wait (copied) until its welcome and presence list are sent, then go in order;
 *   </li>
 *   <li>a client with more than {@link ShardConfig#maxUnackedMessages()} unacknowledged stream messages is closed
 *   (4002) and leaves the room, rather than making the server queue for it without bound;</li>
 *   <li>a message is handed to the client's link before any snapshot the shard offers later, so a message sent
 *   during tick T is written before the snapshot of tick T.</li>
 * </ul>
 * A message is encoded once into the shard's scratch buffer and its sequence patched per recipient; presence events
 * are batched in the room's own buffer and sent as one message per client per flush. One per room, sharing the
 * shard's scratch state; shard thread only.
 */
final class RoomOutbox implements MessageWriter
{
    private final Room room;
    private final ShardScratch scratch;
    private final ShardCounters counters;
    private final int maxUnackedMessages;
    private final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(256);
    private MessageType type;
    private int encodedLength = -1;
    private int batchPosition;
    private RoomClient pendingJoin;

    RoomOutbox(final Room room, final ShardScratch scratch, final ShardCounters counters, final ShardConfig config)
    {
        this.room = room;
        this.scratch = scratch;
        this.counters = counters;
        this.maxUnackedMessages = config.maxUnackedMessages();
    }

    /**
     * Starts a message; {@link Room#message(MessageType)} checked the type.
     */
    MessageWriter begin(final MessageType type)
    {
        this.type = type;
        scratch.messageOwner = this;
        scratch.messageEncoder.begin(type);
        encodedLength = -1;
        return this;
    }

    public MessageWriter putInt(final int field, final int value)
    {
        requireStarted();
        scratch.messageEncoder.putInt(field, value);
        encodedLength = -1;
        return this;
    }

    public MessageWriter putText(final int field, final CharSequence text)
    {
        requireStarted();
        scratch.messageEncoder.putText(field, text);
        encodedLength = -1;
        return this;
    }

    public MessageWriter putBytes(final int field, final byte[] source, final int offset, final int length)
    {
        requireStarted();
        scratch.messageEncoder.putBytes(field, source, offset, length);
        encodedLength = -1;
        return this;
    }

    public MessageWriter send(final Player player)
    {
        final RoomClient client = room.clientOf(player);
        flushPresence();
        deliver(client, encoded(), scratch.messageBuffer);
        counters.roomMessagesSent.incrementAndGet();
        return this;
    }

    public MessageWriter broadcast()
    {
        return broadcastExcept(null);
    }

    public MessageWriter broadcastExcept(final Player excluded)
    {
        flushPresence();
        final int length = encoded();
        for (int i = 0, n = room.clientCount(); i < n; i++)
        {
            final RoomClient client = room.client(i);
            if (client != excluded)
            {
                deliver(client, length, scratch.messageBuffer);
            }
        }
        counters.roomMessagesSent.incrementAndGet();
        return this;
    }

    /**
     * A player was seated: its JOIN goes out with its state as it is when the batch is next flushed, so what the game
     * sets in {@code onJoin} travels in the JOIN itself. A message the room sends meanwhile flushes it first, so no
     * client hears of a player from a message before it hears the player joined.
     */
    void onSeated(final RoomClient subject)
    {
        emitPendingJoin();
        pendingJoin = subject;
    }

    /**
     * The avatar or metadata of a welcomed player changed: an UPDATE joins the batch, for every welcomed client, the
     * player included. A player whose JOIN has not gone out needs none.
     */
    void onChanged(final RoomClient subject)
    {
        if (subject != pendingJoin)
        {
            final Metadata metadata = subject.presenceMetadata();
            appendEntry(PresenceEncoder.joinEntryLength(subject.id(), subject.entityId(), subject.name(),
                metadata.keys(), metadata.values(), metadata.count()));
            batchPosition = putEntry(scratch.presenceEncoder, batch, batchPosition, PresenceEntry.OP_UPDATE, subject);
        }
    }

    /**
     * A player left: a LEAVE joins the batch, unless the others never heard it joined (it failed or was kicked in
     * {@code onJoin} before its JOIN went out).
     */
    void onLeft(final RoomClient subject, final LeaveReason reason)
    {
        if (subject == pendingJoin)
        {
            pendingJoin = null;
            return;
        }
        appendEntry(1 + VarInts.lengthOf(subject.id()) + 1);
        batchPosition = scratch.presenceEncoder.putLeave(batch, batchPosition, subject.id(), reason.code());
    }

    /**
     * Sends the batch of presence events, as one PRESENCE message, to every welcomed client; a client welcomed while
     * the batch filled gets only the entries after its presence list. Called before a room message goes out and at
     * the end of every shard cycle, so events reach clients in the order they happened, before the snapshot of the
     * tick they happened in. Many joins, leaves and changes in one cycle cost each client one message, not one each.
     */
    void flushPresence()
    {
        emitPendingJoin();
        if (batchPosition > WireFormat.STREAM_HEADER_LENGTH)
        {
            for (int i = 0, n = room.clientCount(); i < n; i++)
            {
                final RoomClient client = room.client(i);
                final int from = client.takePresenceFrom();
                if (!client.isJoined() || from >= batchPosition)
                {
                    continue;
                }
                if (from <= WireFormat.STREAM_HEADER_LENGTH)
                {
                    deliverNow(client, batchPosition, batch);
                }
                else
                {
                    final UnsafeBuffer suffix = scratch.presenceBuffer;
                    final int headerEnd = scratch.presenceEncoder.begin(suffix, 0, 0);
                    suffix.putBytes(headerEnd, batch, from, batchPosition - from);
                    deliverNow(client, headerEnd + batchPosition - from, suffix);
                }
            }
            batchPosition = 0;
        }
    }

    /**
     * Puts the JOIN of the player being seated into the batch, with its state as it is now.
     */
    private void emitPendingJoin()
    {
        if (pendingJoin != null)
        {
            final RoomClient joined = pendingJoin;
            pendingJoin = null;
            final Metadata metadata = joined.presenceMetadata();
            appendEntry(PresenceEncoder.joinEntryLength(joined.id(), joined.entityId(), joined.name(),
                metadata.keys(), metadata.values(), metadata.count()));
            batchPosition = putEntry(scratch.presenceEncoder, batch, batchPosition, PresenceEntry.OP_JOIN, joined);
        }
    }

    /**
     * Makes room in the batch for an entry of at most {@code entryLength} bytes: starts the batch, or sends it and
     * starts another when the entry would not fit.
     */
    private void appendEntry(final int entryLength)
    {
        counters.presenceEvents.incrementAndGet();
        if (batchPosition > 0 && !scratch.presenceEncoder.hasRoomFor(batchPosition, entryLength))
        {
            final RoomClient joined = pendingJoin;
            pendingJoin = null;
            flushPresence();
            pendingJoin = joined;
        }
        if (batchPosition == 0)
        {
            batchPosition = scratch.presenceEncoder.begin(batch, 0, 0);
        }
    }

    /**
     * Sends {@code joiner} the room's whole player list, itself included, as JOIN entries batched into as few
     * presence messages as they fit ({@link PresenceEncoder#MAX_MESSAGE_LENGTH} each). The list shows the events
     * batched so far, so the joiner will get only the entries batched after it.
     *
     * @return the number of players listed.
     */
    int sendPresenceList(final RoomClient joiner)
    {
        emitPendingJoin();
        joiner.presenceFrom(batchPosition);
        final UnsafeBuffer buffer = scratch.presenceBuffer;
        final PresenceEncoder encoder = scratch.presenceEncoder;
        final int headerEnd = encoder.begin(buffer, 0, 0);
        int position = headerEnd;
        final int count = room.clientCount();
        for (int i = 0; i < count; i++)
        {
            final RoomClient client = room.client(i);
            final Metadata metadata = client.presenceMetadata();
            final int entryLength = PresenceEncoder.joinEntryLength(client.id(), client.entityId(), client.name(),
                metadata.keys(), metadata.values(), metadata.count());
            if (!encoder.hasRoomFor(position, entryLength))
            {
                deliverNow(joiner, position, buffer);
                position = encoder.begin(buffer, 0, 0);
            }
            position = putEntry(encoder, buffer, position, PresenceEntry.OP_JOIN, client);
        }
        if (position > headerEnd)
        {
            deliverNow(joiner, position, buffer);
        }
        return count;
    }

    /**
     * Sends a welcomed client the messages it was sent while joining, in order.
     */
    void flushDeferred(final RoomClient client)
    {
        final byte[][] deferred = client.takeDeferred();
        if (deferred != null)
        {
            final UnsafeBuffer buffer = scratch.deferredBuffer;
            for (final byte[] message : deferred)
            {
                buffer.wrap(message);
                deliver(client, message.length, buffer);
            }
        }
    }

    /**
     * Resume: sends again, in order and with their sequences, the stream messages the client has not acknowledged
     * (the seat already dropped those up to the stream ack the client gave).
     */
    void resendUnacked(final RoomClient client)
    {
        client.forEachUnacked((buffer, offset, length, headOffset) ->
        {
            client.link.sendControl(buffer, offset, length);
            counters.streamMessages.incrementAndGet();
            return true;
        });
    }

    /**
     * Replace: copies the room messages among the stream messages the old connection left unacknowledged, in order,
     * to deliver to the new one once its presence list (which supersedes the presence events among them) is sent.
     * Cold path: allocates the copies.
     */
    List<byte[]> unackedRoomMessages(final RoomClient client)
    {
        final List<byte[]> messages = new ArrayList<>();
        client.forEachUnacked((buffer, offset, length, headOffset) ->
        {
            if (buffer.getByte(offset) == WireFormat.TYPE_ROOM_MESSAGE)
            {
                final byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                messages.add(copy);
            }
            return true;
        });
        return messages;
    }

    /**
     * Replace: delivers the room messages the old connection left unacknowledged, renumbered in the new stream.
     */
    void redeliver(final RoomClient client, final List<byte[]> messages)
    {
        final UnsafeBuffer buffer = scratch.deferredBuffer;
        for (final byte[] message : messages)
        {
            buffer.wrap(message);
            deliverNow(client, message.length, buffer);
        }
    }

    private static int putEntry(
        final PresenceEncoder encoder, final MutableDirectBuffer buffer, final int position, final int op,
        final RoomClient client)
    {
        final Metadata metadata = client.presenceMetadata();
        return encoder.putJoin(buffer, position, op, client.id(), client.entityId(), client.name(),
            metadata.keys(), metadata.values(), metadata.count());
    }

    /**
     * Delivers a stream message: now to a welcomed client, later (copied) to a joining one, never to one leaving.
     */
    private void deliver(final RoomClient client, final int length, final MutableDirectBuffer buffer)
    {
        if (client.state() == RoomClient.JOINING)
        {
            if (client.deferredCount() < maxUnackedMessages)
            {
                client.defer(buffer, length);
            }
            else
            {
                closeForBacklog(client);
            }
        }
        else if (client.isJoined())
        {
            deliverNow(client, length, buffer);
        }
    }

    /**
     * Numbers a stream message for the client, keeps it until acknowledged (resume on), and sends it unless the
     * client is detached: then it waits, kept, for a resume. A seat restored from a checkpoint gets nothing: its
     * player comes back on a new stream, so nothing is kept for it, and its backlog cannot close it.
     */
    private void deliverNow(final RoomClient client, final int length, final MutableDirectBuffer buffer)
    {
        if (client.isAwaitingRehome())
        {
            return;
        }
        MessageEncoder.patchSeq(buffer, 0, client.nextStreamSeq());
        client.keepUnacked(buffer, length);
        if (!client.isDetached())
        {
            client.link.sendControl(buffer, 0, length);
        }
        counters.streamMessages.incrementAndGet();
        if (client.unackedStreamMessages() > maxUnackedMessages)
        {
            closeForBacklog(client);
        }
    }

    private void closeForBacklog(final RoomClient client)
    {
        counters.messageBacklogCloses.incrementAndGet();
        client.markLeaving(LeaveReason.DISCONNECTED);
        client.link.close(CloseCodes.MESSAGE_BACKLOG, "too many unacknowledged messages");
    }

    private int encoded()
    {
        requireStarted();
        if (encodedLength < 0)
        {
            encodedLength = scratch.messageEncoder.encodeRoomMessage(scratch.messageBuffer, 0, 0);
        }
        return encodedLength;
    }

    private void requireStarted()
    {
        if (type == null || scratch.messageOwner != this)
        {
            throw new IllegalStateException("start a message with RoomContext.message(type) and send it before " +
                "starting another");
        }
    }
}
