package io.tickwire.sim;

import io.tickwire.api.LeaveReason;
import io.tickwire.api.MessageWriter;
import io.tickwire.api.Player;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.control.PresenceEncoder;
import io.tickwire.codec.control.PresenceEntry;
import org.agrona.concurrent.UnsafeBuffer;

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
 * A message is encoded once into the shard's scratch buffer and its sequence patched per recipient. One per room,
 * sharing the shard's scratch state; shard thread only.
 */
final class RoomOutbox implements MessageWriter
{
    private final Room room;
    private final ShardScratch scratch;
    private final ShardCounters counters;
    private final int maxUnackedMessages;
    private MessageType type;
    private int encodedLength = -1;

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
     * Tells every welcomed client but {@code subject} that it joined.
     */
    void onJoined(final RoomClient subject)
    {
        broadcastPresence(subject, PresenceEntry.OP_JOIN, subject);
    }

    /**
     * Tells every welcomed client, {@code subject} included, that its avatar or metadata changed.
     */
    void onChanged(final RoomClient subject)
    {
        broadcastPresence(subject, PresenceEntry.OP_UPDATE, null);
    }

    /**
     * Tells every welcomed client but {@code subject} that it left, and why.
     */
    void onLeft(final RoomClient subject, final LeaveReason reason)
    {
        final UnsafeBuffer buffer = scratch.presenceBuffer;
        final PresenceEncoder encoder = scratch.presenceEncoder;
        final int length = encoder.putLeave(buffer, encoder.begin(buffer, 0, 0), subject.id(), reason.code());
        deliverToWelcomed(subject, length, buffer);
    }

    /**
     * Sends {@code joiner} the room's whole player list, itself included, as JOIN entries batched into as few
     * presence messages as they fit ({@link PresenceEncoder#MAX_MESSAGE_LENGTH} each).
     *
     * @return the number of players listed.
     */
    int sendPresenceList(final RoomClient joiner)
    {
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

    private void broadcastPresence(final RoomClient subject, final int op, final RoomClient excluded)
    {
        final UnsafeBuffer buffer = scratch.presenceBuffer;
        final PresenceEncoder encoder = scratch.presenceEncoder;
        final int length = putEntry(encoder, buffer, encoder.begin(buffer, 0, 0), op, subject);
        deliverToWelcomed(excluded, length, buffer);
    }

    private void deliverToWelcomed(final RoomClient excluded, final int length, final UnsafeBuffer buffer)
    {
        counters.presenceEvents.incrementAndGet();
        for (int i = 0, n = room.clientCount(); i < n; i++)
        {
            final RoomClient client = room.client(i);
            if (client != excluded && client.isJoined())
            {
                deliverNow(client, length, buffer);
            }
        }
    }

    private static int putEntry(
        final PresenceEncoder encoder, final UnsafeBuffer buffer, final int position, final int op,
        final RoomClient client)
    {
        final Metadata metadata = client.presenceMetadata();
        return encoder.putJoin(buffer, position, op, client.id(), client.entityId(), client.name(),
            metadata.keys(), metadata.values(), metadata.count());
    }

    /**
     * Delivers a stream message: now to a welcomed client, later (copied) to a joining one, never to one leaving.
     */
    private void deliver(final RoomClient client, final int length, final UnsafeBuffer buffer)
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

    private void deliverNow(final RoomClient client, final int length, final UnsafeBuffer buffer)
    {
        MessageEncoder.patchSeq(buffer, 0, client.nextStreamSeq());
        client.link.sendControl(buffer, 0, length);
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
