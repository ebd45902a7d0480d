package io.tickwire.bots;

import io.tickwire.api.LeaveReason;
import io.tickwire.codec.control.PresenceEncoder;
import io.tickwire.codec.control.PresenceEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bots of one group keep one instance of each presence entry they are all sent, not one per bot, and see
 * exactly what they were sent; the table of kept entries stays bounded.
 */
class GroupPresenceDecoderTest
{
    private static final String[] KEYS = {"team"};

    private final PresenceEncoder encoder = new PresenceEncoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[PresenceEncoder.MAX_MESSAGE_LENGTH]);

    @Test
    void botsOfOneGroupHoldOneInstanceOfEachPlayerTheyAreAllSent()
    {
        final GroupPresenceDecoder decoder = new GroupPresenceDecoder();
        final StreamReceiver first = receiver(decoder);
        final StreamReceiver second = receiver(decoder);
        final int length = joins(1, 1, 2, 3);

        assertNull(first.onPresence(buffer, length));
        assertNull(second.onPresence(buffer, length));

        for (int playerId = 1; playerId <= 3; playerId++)
        {
            assertSame(first.presence().get(playerId), second.presence().get(playerId));
            assertEquals(new PresenceEntry(PresenceEntry.OP_JOIN, playerId, 10 + playerId, "bot-" + playerId,
                Map.of("team", "red"), 0), first.presence().get(playerId));
        }
        assertEquals(3, decoder.keptCount());
    }

    @Test
    void entriesThatDifferInAnyValueOrInTheOrderOfTheirMetadataAreKeptApart()
    {
        final GroupPresenceDecoder decoder = new GroupPresenceDecoder();
        final PresenceEntry red = decoder.decode(buffer, 0, joins(1, 1)).get(0);
        final String[] teamAndMode = {"team", "mode"};
        final String[] modeAndTeam = {"mode", "team"};
        int position = encoder.begin(buffer, 0, 2);
        position = putJoin(position, PresenceEntry.OP_JOIN, 1, 11, "bot-1", KEYS, new String[] {"blue"});
        position = putJoin(position, PresenceEntry.OP_UPDATE, 1, 11, "bot-1", KEYS, new String[] {"red"});
        position = putJoin(position, PresenceEntry.OP_JOIN, 2, 11, "bot-1", KEYS, new String[] {"red"});
        position = putJoin(position, PresenceEntry.OP_JOIN, 1, 12, "bot-1", KEYS, new String[] {"red"});
        position = putJoin(position, PresenceEntry.OP_JOIN, 1, 11, "bot-9", KEYS, new String[] {"red"});
        position = putJoin(position, PresenceEntry.OP_JOIN, 1, 11, "bot-1", teamAndMode, new String[] {"red", "ctf"});
        position = putJoin(position, PresenceEntry.OP_JOIN, 1, 11, "bot-1", modeAndTeam, new String[] {"ctf", "red"});
        position = encoder.putLeave(buffer, position, 1, LeaveReason.LEFT.code());
        final List<PresenceEntry> others = decoder.decode(buffer, 0, position);

        for (int i = 0; i < 7; i++)
        {
            assertNotSame(red, others.get(i), "entry " + i);
            assertNotEquals(red, others.get(i), "entry " + i);
        }
        assertEquals(others.get(5), others.get(6), "equal as records: maps ignore their order");
        assertNotSame(others.get(5), others.get(6), "but listed in another order on the wire");
        assertEquals(List.of("mode", "team"), List.copyOf(others.get(6).metadata().keySet()));
        assertEquals(PresenceEntry.OP_LEAVE, others.get(7).op());
        assertEquals(9, decoder.keptCount(), "a leave is kept too: bots' messages match by their entries' instances");
        assertEquals(2, decoder.seq());
    }

    @Test
    void aMalformedMessageDecodesToNothing()
    {
        final GroupPresenceDecoder decoder = new GroupPresenceDecoder();
        final int length = joins(1, 1);

        assertNull(decoder.decode(buffer, 0, length + 1), "a trailing byte that is no op");
        assertEquals(0, decoder.keptCount());
    }

    @Test
    void theTableStartsOverWhenFullAndStillSharesWhatComesAfter()
    {
        final GroupPresenceDecoder decoder = new GroupPresenceDecoder();
        final int perMessage = 200;
        final int messages = GroupPresenceDecoder.MAX_KEPT_ENTRIES / perMessage + 2;
        for (int m = 0; m < messages; m++)
        {
            final int[] players = new int[perMessage];
            for (int i = 0; i < perMessage; i++)
            {
                players[i] = 1 + m * perMessage + i;
            }
            decoder.decode(buffer, 0, joins(m + 1, players));
            assertTrue(decoder.keptCount() <= GroupPresenceDecoder.MAX_KEPT_ENTRIES);
        }
        assertEquals(messages * perMessage - GroupPresenceDecoder.MAX_KEPT_ENTRIES, decoder.keptCount());

        final int length = joins(messages + 1, 1);
        final PresenceEntry once = decoder.decode(buffer, 0, length).get(0);
        assertSame(once, decoder.decode(buffer, 0, length).get(0));
    }

    private int putJoin(
        final int position, final int op, final int playerId, final int entityId, final String name,
        final String[] keys, final String[] values)
    {
        return encoder.putJoin(buffer, position, op, playerId, entityId, name, keys, values, keys.length);
    }

    private static StreamReceiver receiver(final GroupPresenceDecoder decoder)
    {
        return new StreamReceiver(new AckTracker(), new BotStats(), new GroupMetrics(0), null, decoder,
            new PresenceStates());
    }

    /**
     * Writes a PRESENCE of stream sequence {@code seq} that joins the players: entity 10 + id, name "bot-" + id,
     * team red.
     *
     * @return its length.
     */
    private int joins(final int seq, final int... playerIds)
    {
        int position = encoder.begin(buffer, 0, seq);
        for (final int playerId : playerIds)
        {
            position = putJoin(position, PresenceEntry.OP_JOIN, playerId, 10 + playerId, "bot-" + playerId, KEYS,
                new String[] {"red"});
        }
        return position;
    }
}
