package io.tickwire.bots;

import io.tickwire.api.Message;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.SnapshotDecoder;
import io.tickwire.codec.control.PresenceEntry;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a bot answer chat that mentions it, around the brain it wraps (which does everything else). A room message
 * of the game's {@value #CHAT} type (one the client may send, with a {@value #PLAYER} uint and a {@value #TEXT}
 * text field) from another player whose text holds {@code @<the bot's name>}, not followed by a character a name
 * goes on with ({@code [A-Za-z0-9_-]}), is answered once, at the bot's next input period, with the line
 * {@code @<sender's name> hi, I am <bot's name>}; the sender's name comes from the presence list, and a sender not
 * in it is not answered. At most one answer per {@link #MIN_ANSWER_INTERVAL_NS}, well within the type's rate even
 * with the wrapped brain's own chat; a mention that arrives while an answer waits replaces it.
 * <p>
 * Owned by the bot's event loop. Allocation free but for building an answer.
 */
final class ChatAnswerer implements GameBrain
{
    static final String CHAT = "chat";
    static final String PLAYER = "player";
    static final String TEXT = "text";

    /** Shortest time between two answers of one bot. */
    static final long MIN_ANSWER_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final GameBrain brain;
    private final String name;
    private final byte[] mention;
    private final StringBuilder answer = new StringBuilder(64);
    private byte[] received = new byte[0];
    private MessageType chatType;
    private int playerField;
    private int textField;
    private int ownPlayerId;
    private String answerTo;
    private long nextAnswerNs;

    /**
     * @param brain what the bot does besides answering.
     * @param name  the bot's player name.
     */
    ChatAnswerer(final GameBrain brain, final String name)
    {
        this.brain = brain;
        this.name = name;
        this.mention = ("@" + name).getBytes(StandardCharsets.UTF_8);
    }

    public void onWelcome(
        final InputSchema inputSchema, final List<MessageType> messageTypes, final int playerId, final int entityId)
    {
        brain.onWelcome(inputSchema, messageTypes, playerId, entityId);
        ownPlayerId = playerId;
        answerTo = null;
        chatType = null;
        for (final MessageType type : messageTypes)
        {
            if (CHAT.equals(type.name()) && type.direction().clientMaySend() && type.indexOf(PLAYER) >= 0 &&
                type.indexOf(TEXT) >= 0)
            {
                chatType = type;
                playerField = type.indexOf(PLAYER);
                textField = type.indexOf(TEXT);
                if (received.length < type.field(textField).max())
                {
                    received = new byte[type.field(textField).max()];
                }
            }
        }
    }

    public void onInputPeriod(
        final SnapshotDecoder view, final int[] values, final MessageOutbox outbox, final long nowNs)
    {
        brain.onInputPeriod(view, values, outbox, nowNs);
        if (answerTo != null && nowNs - nextAnswerNs >= 0)
        {
            answer.setLength(0);
            answer.append('@').append(answerTo).append(" hi, I am ").append(name);
            outbox.begin(chatType).putText(textField, answer);
            outbox.send(nowNs);
            answerTo = null;
            nextAnswerNs = nowNs + MIN_ANSWER_INTERVAL_NS;
        }
    }

    public long onRoomMessage(final Message message, final PresenceList presence, final long nowNs)
    {
        final long delivered = brain.onRoomMessage(message, presence, nowNs);
        if (message.type() == chatType && message.getInt(playerField) != ownPlayerId && mentionsMe(message))
        {
            final PresenceEntry sender = presence.get(message.getInt(playerField));
            if (sender != null)
            {
                answerTo = sender.name();
            }
        }
        return delivered;
    }

    private boolean mentionsMe(final Message message)
    {
        final int length = message.length(textField);
        message.getBytes(textField, received, 0);
        for (int start = 0; start + mention.length <= length; start++)
        {
            int matched = 0;
            while (matched < mention.length && received[start + matched] == mention[matched])
            {
                matched++;
            }
            final int end = start + matched;
            if (matched == mention.length && (end == length || !isNameByte(received[end])))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean isNameByte(final byte b)
    {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '-';
    }
}
