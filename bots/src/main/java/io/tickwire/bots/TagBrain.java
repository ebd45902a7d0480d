package io.tickwire.bots;

import io.tickwire.api.Message;
import io.tickwire.api.schema.FieldType;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.Sequence;
import io.tickwire.codec.SnapshotDecoder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The brain of {@link GameKind#TAG}. It moves as the {@link ArenaBrain} it wraps; aims the input field
 * {@value #AIM} at the nearest other entity in view; sets bit 0 (fire) of {@value ArenaBrain#BUTTONS} with
 * probability {@link #FIRE_CHANCE} per input while it has a target; and about every {@link #CHAT_INTERVAL_NS}
 * (jittered, never faster than the type's rate) sends a {@value #CHAT} message whose first text field reads
 * {@code bot-<index> #<n>}. When the room delivers a message whose first text field contains that text back to the
 * bot, the brain reports the time since it sent chat {@code n}: the message delivery latency.
 * <p>
 * Owned by the bot's event loop. Allocation free but for building the text of a chat, which reuses one builder.
 */
final class TagBrain implements GameBrain
{
    static final String AIM = "aim";
    static final String CHAT = "chat";

    /** Probability per input of firing while there is a target. */
    static final double FIRE_CHANCE = 0.05;

    /** Mean time between one bot's chats. */
    static final long CHAT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(3);

    static final int FIRE_BIT = 1;

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long NONE_NS = Long.MIN_VALUE;

    /** Longest chat text: the marker and a number of up to 10 digits. */
    private static final int MAX_NUMBER_DIGITS = 10;

    private final ArenaBrain movement;
    private final SplittableRandom random;
    private final NearestEntity nearest = new NearestEntity();
    private final SendTimes chatTimes = new SendTimes();
    private final String marker;
    private final byte[] markerBytes;
    private final StringBuilder text = new StringBuilder(32);
    private final int[] textFieldByType = new int[MessageType.MAX_ID + 1];
    private byte[] received = new byte[0];
    private int aimField = InputValues.ABSENT;
    private int buttonsField = InputValues.ABSENT;
    private MessageType chatType;
    private int chatTextField;
    private long minChatIntervalNs;
    private long nextChatNs = NONE_NS;
    private int lastDelivered;

    /**
     * @param movement moves the bot.
     * @param seed     seed of the swarm.
     * @param botIndex index of the bot in the swarm: names it in its chats, and is mixed into the seed.
     */
    TagBrain(final ArenaBrain movement, final long seed, final int botIndex)
    {
        this.movement = movement;
        this.random = new SplittableRandom(seed * GOLDEN_GAMMA + botIndex + 1);
        this.marker = SwarmConfig.playerName(botIndex) + " #";
        this.markerBytes = marker.getBytes(StandardCharsets.US_ASCII);
        chatTimes.reset(Sequence.NONE);
    }

    public void onWelcome(
        final InputSchema inputSchema, final List<MessageType> messageTypes, final int playerId, final int entityId)
    {
        movement.onWelcome(inputSchema, messageTypes, playerId, entityId);
        aimField = inputSchema.indexOf(AIM);
        buttonsField = inputSchema.indexOf(ArenaBrain.BUTTONS);
        chatType = null;
        nextChatNs = NONE_NS;
        Arrays.fill(textFieldByType, -1);
        int longestText = 0;
        for (final MessageType type : messageTypes)
        {
            final int textField = firstTextField(type);
            textFieldByType[type.id()] = textField;
            if (textField >= 0)
            {
                longestText = Math.max(longestText, type.field(textField).max());
                if (CHAT.equals(type.name()) && type.direction().clientMaySend() &&
                    type.field(textField).max() >= markerBytes.length + MAX_NUMBER_DIGITS)
                {
                    chatType = type;
                    chatTextField = textField;
                    minChatIntervalNs = NANOS_PER_SECOND / type.ratePerSecond() + 1;
                }
            }
        }
        if (received.length < longestText)
        {
            received = new byte[longestText];
        }
    }

    public void onInputPeriod(
        final SnapshotDecoder view, final int[] values, final MessageOutbox outbox, final long nowNs)
    {
        movement.onInputPeriod(view, values, outbox, nowNs);
        final InputSchema schema = movement.schema();
        if (nearest.find(view, movement.entityId()))
        {
            InputValues.putAngle(schema, values, aimField, Math.atan2(nearest.dy(), nearest.dx()));
            if (random.nextDouble() < FIRE_CHANCE)
            {
                InputValues.put(schema, values, buttonsField, FIRE_BIT);
            }
        }
        if (chatType != null)
        {
            chat(outbox, nowNs);
        }
    }

    public long onRoomMessage(final Message message, final PresenceList presence, final long nowNs)
    {
        final int field = textFieldByType[message.type().id()];
        if (field < 0)
        {
            return NOT_OWN;
        }
        final int length = message.length(field);
        message.getBytes(field, received, 0);
        final int at = indexOfMarker(length);
        if (at < 0)
        {
            return NOT_OWN;
        }
        long number = 0;
        int digits = 0;
        for (int i = at + markerBytes.length; i < length && digits < MAX_NUMBER_DIGITS; i++, digits++)
        {
            final int digit = received[i] - '0';
            if (digit < 0 || digit > 9)
            {
                break;
            }
            number = number * 10 + digit;
        }
        final int chat = (int)number;
        if (digits == 0 || number > Integer.MAX_VALUE || !chatTimes.isKept(chat))
        {
            return NOT_OWN;
        }
        if (chat <= lastDelivered)
        {
            return DUPLICATE;
        }
        lastDelivered = chat;
        return nowNs - chatTimes.sentAtNs(chat);
    }

    /**
     * @return the text this bot's chats start with, {@code bot-<index> #}.
     */
    String marker()
    {
        return marker;
    }

    private void chat(final MessageOutbox outbox, final long nowNs)
    {
        if (nextChatNs == NONE_NS)
        {
            nextChatNs = nowNs + Math.max(minChatIntervalNs, (long)(random.nextDouble() * CHAT_INTERVAL_NS));
            return;
        }
        if (nowNs < nextChatNs)
        {
            return;
        }

        final int number = chatTimes.lastSent() + 1;
        text.setLength(0);
        text.append(marker).append(number);
        outbox.begin(chatType).putText(chatTextField, text);
        if (outbox.send(nowNs) != Sequence.NONE)
        {
            chatTimes.onSent(number, nowNs);
        }
        final long jitteredNs = (long)((0.5 + random.nextDouble()) * CHAT_INTERVAL_NS);
        nextChatNs = nowNs + Math.max(minChatIntervalNs, jitteredNs);
    }

    private int indexOfMarker(final int length)
    {
        for (int start = 0; start + markerBytes.length <= length; start++)
        {
            int matched = 0;
            while (matched < markerBytes.length && received[start + matched] == markerBytes[matched])
            {
                matched++;
            }
            if (matched == markerBytes.length)
            {
                return start;
            }
        }
        return -1;
    }

    private static int firstTextField(final MessageType type)
    {
        for (int i = 0; i < type.fieldCount(); i++)
        {
            if (type.field(i).type() == FieldType.TEXT)
            {
                return i;
            }
        }
        return -1;
    }
}
