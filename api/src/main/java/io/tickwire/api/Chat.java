package io.tickwire.api;

import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.MessageType;

/**
 * A chat room message, for games that offer one, with the relay every such game does. The type goes both ways:
 * a client sends {@code player} 0 and up to {@value #MAX_TEXT_BYTES} bytes of {@code text}, at most
 * {@value #RATE_PER_SECOND} a second with bursts of {@value #BURST}; the room sends each line to everyone with
 * {@code player} set to the sender's id. Blank lines are dropped.
 * <pre>
 *   public static final MessageType CHAT = Chat.type(2);              // in the provider: .message(CHAT)
 *   public void onMessage(Player player, Message message) {
 *       if (message.type() == CHAT) { Chat.relay(room, player, message); }
 *   }
 * </pre>
 */
public final class Chat
{
    /** The type's name, which clients look it up by. */
    public static final String NAME = "chat";
    public static final int FIELD_PLAYER = 0;
    public static final int FIELD_TEXT = 1;
    public static final int MAX_TEXT_BYTES = 96;
    public static final int RATE_PER_SECOND = 5;
    public static final int BURST = 10;
    private static final int MAX_PLAYER_ID = Integer.MAX_VALUE;

    private Chat()
    {
    }

    /**
     * @param id the type's id among the game's message types, 1..{@value MessageType#MAX_ID}.
     * @return the chat message type with that id.
     */
    public static MessageType type(final int id)
    {
        return MessageType.both(id, NAME, RATE_PER_SECOND, BURST,
            FieldDef.uint("player", MAX_PLAYER_ID), FieldDef.text("text", MAX_TEXT_BYTES));
    }

    /**
     * Sends {@code message}'s text to every player of {@code room} with the sender's id, unless it is blank. Shard
     * thread, from {@link Game#onMessage}; allocates the text (a message is an event, not per-tick state).
     *
     * @param message a message of a type made by {@link #type(int)}.
     */
    public static void relay(final RoomContext room, final Player sender, final Message message)
    {
        if (message.length(FIELD_TEXT) > 0)
        {
            final String text = message.getText(FIELD_TEXT);
            if (!text.isBlank())
            {
                room.message(message.type()).putInt(FIELD_PLAYER, sender.id()).putText(FIELD_TEXT, text).broadcast();
            }
        }
    }
}
