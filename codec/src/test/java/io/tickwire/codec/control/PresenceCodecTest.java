package io.tickwire.codec.control;

import io.tickwire.api.LeaveReason;
import io.tickwire.codec.Hex;
import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.Mutations;
import io.tickwire.codec.RandomSchemas;
import io.tickwire.codec.WireFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PresenceCodecTest
{
    private static final String[] NO_KEYS = new String[0];

    private final PresenceEncoder encoder = new PresenceEncoder();
    private final PresenceDecoder decoder = new PresenceDecoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[PresenceEncoder.MAX_MESSAGE_LENGTH + 64]);

    @Test
    void batchesEntriesAndPatchesTheSequence()
    {
        int position = encoder.begin(buffer, 0, 3);
        position = encoder.putJoin(buffer, position, PresenceEntry.OP_JOIN, 1, 201, "ann",
            new String[] {"team", "x"}, new String[] {"red", ""}, 2);
        position = encoder.putJoin(buffer, position, PresenceEntry.OP_UPDATE, 2, Welcome.NO_ENTITY, "", NO_KEYS,
            NO_KEYS, 0);
        position = encoder.putLeave(buffer, position, 300, LeaveReason.KICKED.code());
        MessageEncoder.patchSeq(buffer, 0, 9);

        final List<PresenceEntry> entries = decoder.decode(buffer, 0, position);
        assertEquals(List.of(
            new PresenceEntry(PresenceEntry.OP_JOIN, 1, 201, "ann", Map.of("team", "red", "x", ""), 0),
            new PresenceEntry(PresenceEntry.OP_UPDATE, 2, Welcome.NO_ENTITY, "", Map.of(), 0),
            new PresenceEntry(PresenceEntry.OP_LEAVE, 300, Welcome.NO_ENTITY, "", Map.of(), 3)), entries);
        assertEquals(9, decoder.seq());
        assertEquals(List.of("team", "x"), List.copyOf(entries.get(0).metadata().keySet()));
    }

    @Test
    void rejectsHostilePresence()
    {
        assertTrue(decodes("46 01 00 00 00 02 05 01"));
        assertTrue(decodes("46 01 00 00 00 01 05 00 00 00"));
        assertFalse(decodes("46 01 00 00 00"), "no entry");
        assertFalse(decodes("46 00 00 00 00 02 05 01"), "stream sequence 0");
        assertFalse(decodes("45 01 00 00 00 02 05 01"), "not a presence");
        assertFalse(decodes("46 01 00 00 00 00 05 01"), "op 0");
        assertFalse(decodes("46 01 00 00 00 04 05 01"), "op 4");
        assertFalse(decodes("46 01 00 00 00 02 00 01"), "player 0");
        assertFalse(decodes("46 01 00 00 00 02 05 00"), "leave reason 0");
        assertFalse(decodes("46 01 00 00 00 02 05 07"), "leave reason 7");
        assertFalse(decodes("46 01 00 00 00 02 05"), "truncated leave");
        assertFalse(decodes("46 01 00 00 00 02 05 01 02"), "truncated second entry");
        assertFalse(decodes("46 01 00 00 00 01 05 00 21" + " 61".repeat(33) + " 00"), "name too long");
        assertFalse(decodes("46 01 00 00 00 01 05 00 01 0a 00"), "control character");
        assertFalse(decodes("46 01 00 00 00 01 05 00 01 ff 00"), "malformed UTF-8");
        assertFalse(decodes("46 01 00 00 00 01 05 00 00 09"), "nine metadata entries");
        assertFalse(decodes("46 01 00 00 00 01 05 00 00 01 00 00"), "empty key");
        assertFalse(decodes("46 01 00 00 00 01 05 00 00 02 01 6b 00 01 6b 00"), "duplicate key");
        assertFalse(decodes("46 01 00 00 00 01 05 80 80 80 80 80 80 80 80 80 02 00 00"), "varint overflow");
        assertFalse(decodes("46 01 00 00 00 01 05 00 00 00 00"), "trailing byte");
    }

    @Test
    void refusesToEncodeBadEntries()
    {
        final int position = encoder.begin(buffer, 0, 1);
        assertThrows(IllegalArgumentException.class, () -> encoder.putJoin(buffer, position, PresenceEntry.OP_LEAVE,
            1, 1, "", NO_KEYS, NO_KEYS, 0));
        assertThrows(IllegalArgumentException.class, () -> encoder.putJoin(buffer, position, PresenceEntry.OP_JOIN,
            0, 1, "", NO_KEYS, NO_KEYS, 0));
        assertThrows(IllegalArgumentException.class, () -> encoder.putJoin(buffer, position, PresenceEntry.OP_JOIN,
            1, -2, "", NO_KEYS, NO_KEYS, 0));
        assertThrows(IllegalArgumentException.class, () -> encoder.putJoin(buffer, position, PresenceEntry.OP_JOIN,
            1, 1, "x".repeat(33), NO_KEYS, NO_KEYS, 0));
        assertThrows(IllegalArgumentException.class, () -> encoder.putJoin(buffer, position, PresenceEntry.OP_JOIN,
            1, 1, "", new String[] {"k", "k"}, new String[] {"a", "b"}, 2));
        assertThrows(IllegalArgumentException.class, () -> encoder.putJoin(buffer, position, PresenceEntry.OP_JOIN,
            1, 1, "", new String[] {""}, new String[] {"a"}, 1));
        assertThrows(IllegalArgumentException.class, () -> encoder.putJoin(buffer, position, PresenceEntry.OP_JOIN,
            1, 1, "", new String[9], new String[9], 9));
        assertThrows(IllegalArgumentException.class, () -> encoder.putLeave(buffer, position, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> encoder.putLeave(buffer, position, 0, 1));
        assertFalse(encoder.hasRoomForEntry(PresenceEncoder.MAX_MESSAGE_LENGTH - PresenceEncoder.maxEntryLength() + 1));
        assertTrue(encoder.hasRoomForEntry(PresenceEncoder.MAX_MESSAGE_LENGTH - PresenceEncoder.maxEntryLength()));
    }

    @Test
    void theLargestEntryIsMaxEntryLength()
    {
        final String[] keys = new String[WireFormat.MAX_ENTRIES];
        final String[] values = new String[WireFormat.MAX_ENTRIES];
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = "k".repeat(31) + i;
            values[i] = "v".repeat(WireFormat.MAX_VALUE_LENGTH);
        }
        final int start = encoder.begin(buffer, 0, 1);
        final int end = encoder.putJoin(buffer, start, PresenceEntry.OP_JOIN, Integer.MAX_VALUE,
            Integer.MAX_VALUE - 1, "n".repeat(32), keys, values, keys.length);
        assertEquals(PresenceEncoder.maxEntryLength(), end - start);
    }

    @Property(tries = 300)
    void randomEntriesRoundTripAndMutationsNeverThrow(@ForAll final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<PresenceEntry> sent = new ArrayList<>();
        int position = encoder.begin(buffer, 0, 1 + random.nextInt(1000));
        final int count = 1 + random.nextInt(12);
        for (int i = 0; i < count && encoder.hasRoomForEntry(position); i++)
        {
            final int playerId = 1 + random.nextInt(Integer.MAX_VALUE);
            if (random.nextInt(3) == 0)
            {
                final int reason = 1 + random.nextInt(6);
                position = encoder.putLeave(buffer, position, playerId, reason);
                sent.add(new PresenceEntry(PresenceEntry.OP_LEAVE, playerId, Welcome.NO_ENTITY, "", Map.of(), reason));
                continue;
            }
            final int op = random.nextBoolean() ? PresenceEntry.OP_JOIN : PresenceEntry.OP_UPDATE;
            final int entityId = random.nextInt(-1, Integer.MAX_VALUE);
            final String name = RandomSchemas.text(random, WireFormat.MAX_NAME_LENGTH);
            final Map<String, String> metadata = new LinkedHashMap<>();
            final int metadataCount = random.nextInt(WireFormat.MAX_ENTRIES + 1);
            while (metadata.size() < metadataCount)
            {
                metadata.put(RandomSchemas.text(random, 31) + metadata.size(), RandomSchemas.text(random, 64));
            }
            position = encoder.putJoin(buffer, position, op, playerId, entityId, name,
                metadata.keySet().toArray(new String[0]), metadata.values().toArray(new String[0]), metadataCount);
            sent.add(new PresenceEntry(op, playerId, entityId, name, metadata, 0));
        }
        assertEquals(sent, decoder.decode(buffer, 0, position));

        decoder.decode(buffer, 0, Mutations.mutate(random, buffer, position));
    }

    private boolean decodes(final String hex)
    {
        final byte[] bytes = Hex.parse(hex);
        buffer.putBytes(0, bytes);
        final boolean valid = decoder.decode(buffer, 0, bytes.length) != null;
        if (!valid)
        {
            assertNull(decoder.decode(buffer, 0, bytes.length));
        }
        return valid;
    }
}
