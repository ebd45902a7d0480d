package io.tickwire.bots;

import io.tickwire.api.Message;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.SnapshotDecoder;

import java.util.List;

/**
 * What one bot does in its game, kept apart from the protocol: the session handles every message generically and
 * asks the brain, once per input period, for the input's values, which the brain maps by the field names of the
 * welcome's input schema, and gives it every room message. A brain may send messages through the
 * {@link MessageOutbox}. Each {@link GameKind} makes one kind of brain.
 * <p>
 * Owned by the bot's event loop; one brain per bot. Nothing here may allocate per call, except when a brain builds
 * a message to send.
 */
interface GameBrain
{
    /** What {@link #onRoomMessage} returns for a message that does not deliver one of the bot's own back to it. */
    long NOT_OWN = -1;

    /** What {@link #onRoomMessage} returns for one of the bot's own messages delivered back to it a second time. */
    long DUPLICATE = -2;

    /**
     * A session starts: resolve the fields and message types the brain uses, by name.
     *
     * @param inputSchema  the fields every input carries, in order.
     * @param messageTypes the game's message types.
     * @param playerId     the bot's player id in the room.
     * @param entityId     the bot's own entity, or -1 when it has none.
     */
    void onWelcome(InputSchema inputSchema, List<MessageType> messageTypes, int playerId, int entityId);

    /**
     * Fills the values of the next input and may send messages.
     *
     * @param view   the bot's decoder, holding its current view; empty before the first snapshot.
     * @param values the values of the next input, in schema order, each already at 0 clamped into its range.
     * @param outbox sends the bot's messages.
     * @param nowNs  the group's clock, in nanoseconds.
     */
    void onInputPeriod(SnapshotDecoder view, int[] values, MessageOutbox outbox, long nowNs);

    /**
     * A room message arrived, validated, in stream order.
     *
     * @param message  valid only during the call.
     * @param presence the room's players as the bot knows them, to read only.
     * @param nowNs    when it arrived, on the group's clock, in nanoseconds.
     * @return the time since the bot sent the message this one delivers back to it, in nanoseconds; or
     * {@link #NOT_OWN}, or {@link #DUPLICATE}.
     */
    long onRoomMessage(Message message, PresenceList presence, long nowNs);
}
