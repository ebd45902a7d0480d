package io.tickwire.bots;

import io.tickwire.api.Game;
import io.tickwire.api.GameType;
import io.tickwire.api.RoomContext;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.MessageCodec;
import io.tickwire.codec.MessageReader;
import io.tickwire.codec.control.PresenceEntry;
import io.tickwire.codec.control.Welcome;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

/**
 * Receives one bot's stream: room MESSAGEs (0x45) and PRESENCE (0x46), which share one sequence per session. Each
 * message is validated against the welcome's game (the types, their direction and fields), its sequence must be
 * exactly one more than the one before ({@link AckTracker}), a room message is counted by type and handed to the
 * brain, which may find one of its own messages delivered back and so time its delivery, and presence entries build
 * the bot's {@link PresenceList}.
 * <p>
 * Owned by the bot's event loop. A message codec is made per session from the welcome; the reader and presence
 * decoder are the group's. Allocation free per room message; a PRESENCE allocates its entries (a cold event).
 */
final class StreamReceiver
{
    private final AckTracker acks;
    private final BotStats stats;
    private final GroupMetrics metrics;
    private final MessageReader reader;
    private final GroupPresenceDecoder presenceDecoder;
    private final PresenceList presence;
    private MessageCodec codec;

    /**
     * @param acks            checks the stream's order and learns what to acknowledge.
     * @param stats           counts the messages received and delivered.
     * @param metrics         counts messages by type and records delivery latency.
     * @param reader          the group's reader of message fields.
     * @param presenceDecoder the group's presence decoder, which shares equal entries among its bots.
     * @param presenceStates  the group's presence lists, which its bots told the same players share.
     */
    StreamReceiver(
        final AckTracker acks,
        final BotStats stats,
        final GroupMetrics metrics,
        final MessageReader reader,
        final GroupPresenceDecoder presenceDecoder,
        final PresenceStates presenceStates)
    {
        this.acks = acks;
        this.stats = stats;
        this.metrics = metrics;
        this.reader = reader;
        this.presenceDecoder = presenceDecoder;
        this.presence = new PresenceList(presenceStates);
    }

    /**
     * A session starts: messages are checked against the welcome's game, and the presence list starts empty, with
     * the welcome's initial list to follow, unless the session resumes: then the stream and the list go on where they
     * were.
     *
     * @throws IllegalArgumentException when the welcome's message types do not make a game: duplicate ids or names.
     */
    void onWelcome(final Welcome welcome, final boolean resumed)
    {
        final GameType.Builder builder = GameType.builder(welcome.roomType())
            .entitySchema(welcome.entitySchema())
            .inputSchema(welcome.inputSchema())
            .factory(StreamReceiver::noGame);
        for (final MessageType type : welcome.messageTypes())
        {
            builder.message(type);
        }
        codec = new MessageCodec(builder.build());
        if (!resumed)
        {
            presence.start(welcome.presenceCount());
        }
    }

    /**
     * Checks a room MESSAGE and hands it to the brain.
     *
     * @param buffer the whole message, from index 0.
     * @return null when it was in order and valid; otherwise the error that ends the session.
     */
    BotError onRoomMessage(final UnsafeBuffer buffer, final int length, final GameBrain brain, final long nowNs)
    {
        if (!codec.validateRoom(buffer, 0, length))
        {
            return BotError.BAD_ROOM_MESSAGE;
        }
        if (!acks.onStreamMessage(codec.seq()))
        {
            return BotError.BAD_STREAM_SEQUENCE;
        }

        final MessageType type = codec.type();
        stats.onMessageReceived();
        metrics.onMessageReceived(type);
        final long latencyNs = brain.onRoomMessage(
            reader.wrap(type, buffer, codec.fieldsOffset(), codec.fieldsLength()), presence, nowNs);
        if (latencyNs == GameBrain.DUPLICATE)
        {
            return BotError.DUPLICATE_MESSAGE;
        }
        if (latencyNs != GameBrain.NOT_OWN)
        {
            stats.onMessageDelivered();
            metrics.recordMessageLatency(latencyNs, nowNs);
        }
        return null;
    }

    /**
     * Checks a PRESENCE and applies its entries to the presence list.
     *
     * @param buffer the whole message, from index 0.
     * @return null when it was in order, valid and consistent with the list; otherwise the error that ends the
     * session.
     */
    BotError onPresence(final UnsafeBuffer buffer, final int length)
    {
        final List<PresenceEntry> entries = presenceDecoder.decode(buffer, 0, length);
        if (entries == null)
        {
            return BotError.BAD_PRESENCE;
        }
        if (!acks.onStreamMessage(presenceDecoder.seq()))
        {
            return BotError.BAD_STREAM_SEQUENCE;
        }
        return presence.apply(entries) ? null : BotError.BAD_PRESENCE;
    }

    /**
     * @return the stream sequence the error of the last message was about, for the error log.
     */
    int streamSeq()
    {
        return acks.streamSeq();
    }

    PresenceList presence()
    {
        return presence;
    }

    private static Game noGame(final RoomContext room)
    {
        throw new UnsupportedOperationException("a bot runs no game; the type only describes the welcome's messages");
    }
}
