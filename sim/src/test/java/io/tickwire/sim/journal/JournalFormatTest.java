package io.tickwire.sim.journal;

import io.tickwire.api.GameType;
import io.tickwire.api.Identity;
import io.tickwire.api.JoinOption;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.sim.JoinOptionValues;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal file format: random records written through {@link JournalFile} read back the same through
 * {@link JournalReader}; a file cut at any offset, any byte changed, an unknown kind or bytes after END are refused
 * with a {@link JournalFormatException} (never another exception), naming an offset within the file.
 */
class JournalFormatTest
{
    static final GameType TYPE = GameType.builder("probe")
        .entitySchema(new EntitySchema(List.of(FieldDef.uint("hp", 255))))
        .inputSchema(new InputSchema(List.of(FieldDef.uint("dx", 100), FieldDef.uint("b", 255))))
        .joinOption(JoinOption.text("team", 8, "red"))
        .joinOption(JoinOption.integer("level", 1, 9, 1))
        .factory(room -> null)
        .build();

    static final JournalHeader HEADER = new JournalHeader("room-1", "probe", 30, 1200, 0xCAFEBABE,
        JournalHeader.schemaCrc(TYPE), Map.of("team", "blue"), 100.0, 10.5, 128, 30, 42L);

    @Property(tries = 200)
    void randomRecordsReadBackTheSame(@ForAll final long seed, @ForAll @IntRange(max = 120) final int count)
        throws IOException
    {
        final List<Expected> expected = new ArrayList<>();
        final byte[] file = write(new SplittableRandom(seed), count, expected);
        final JournalReader reader = new JournalReader(file);
        assertEquals(HEADER, reader.header());
        final JournalRecord record = new JournalRecord();
        for (final Expected want : expected)
        {
            assertTrue(reader.next(record));
            want.check(record, reader);
        }
        assertFalse(reader.next(record));
        assertFalse(reader.next(record), "stays ended");
        assertEquals(count, JournalReader.verify(file));
    }

    @Property(tries = 20)
    void aFileCutShortAtAnyOffsetIsRefused(@ForAll final long seed) throws IOException
    {
        final byte[] file = write(new SplittableRandom(seed), 12, new ArrayList<>());
        for (int length = 0; length < file.length; length++)
        {
            final JournalFormatException error = assertThrows(JournalFormatException.class,
                readAll(Arrays.copyOf(file, length)), "cut at " + length);
            assertTrue(error.offset() >= 0 && error.offset() <= length, error.getMessage());
        }
    }

    @Property(tries = 10)
    void anyByteChangedIsRefused(@ForAll final long seed, @ForAll @IntRange(min = 1, max = 255) final int xor)
        throws IOException
    {
        final byte[] file = write(new SplittableRandom(seed), 10, new ArrayList<>());
        for (int i = 0; i < file.length; i++)
        {
            final byte[] changed = file.clone();
            changed[i] ^= (byte)xor;
            assertThrows(JournalFormatException.class, readAll(changed), "byte " + i);
        }
    }

    @Test
    void errorsSayWhatAndWhere() throws IOException
    {
        final byte[] file = write(new SplittableRandom(7), 3, new ArrayList<>());
        final int firstRecord = new JournalReader(file).position();

        final byte[] unknown = file.clone();
        unknown[firstRecord] = 10;
        final JournalFormatException kind = assertThrows(JournalFormatException.class, readAll(unknown));
        assertEquals("unknown record kind 10 at offset " + firstRecord, kind.getMessage());

        final byte[] trailing = Arrays.copyOf(file, file.length + 1);
        final JournalFormatException after = assertThrows(JournalFormatException.class, readAll(trailing));
        assertEquals("1 bytes after END at offset " + file.length, after.getMessage());

        final byte[] crc = file.clone();
        crc[file.length - 1] ^= 1;
        final JournalFormatException bad = assertThrows(JournalFormatException.class, readAll(crc));
        assertTrue(bad.getMessage().startsWith("bad CRC"), bad.getMessage());
        assertEquals(file.length - JournalFormat.END_LENGTH, bad.offset());

        final byte[] noEnd = Arrays.copyOf(file, file.length - JournalFormat.END_LENGTH);
        final JournalFormatException cut = assertThrows(JournalFormatException.class, readAll(noEnd));
        assertEquals("file ends without an END record (cut short or broken) at offset " + noEnd.length,
            cut.getMessage());

        final byte[] magic = file.clone();
        magic[0] = 'X';
        assertEquals("not a journal: no TWJ1 magic at offset 0",
            assertThrows(JournalFormatException.class, readAll(magic)).getMessage());
    }

    @Test
    void theSchemaCrcFollowsTheSchemas()
    {
        assertEquals(JournalHeader.schemaCrc(TYPE), JournalHeader.schemaCrc(TYPE));
        final GameType other = GameType.builder("probe")
            .entitySchema(new EntitySchema(List.of(FieldDef.uint("hp", 254))))
            .inputSchema(TYPE.inputSchema())
            .factory(room -> null)
            .build();
        assertFalse(JournalHeader.schemaCrc(TYPE) == JournalHeader.schemaCrc(other));
    }

    private static Executable readAll(final byte[] file)
    {
        return () -> JournalReader.verify(file);
    }

    /**
     * Writes a file of {@code count} random records, and what each should read back as.
     */
    static byte[] write(final SplittableRandom random, final int count, final List<Expected> expected)
        throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(1024);
        try (JournalFile file = new JournalFile(Channels.newChannel(out), HEADER))
        {
            for (int i = 0; i < count; i++)
            {
                final Expected record = Expected.random(random);
                file.append(record.kind, payload, 0, record.write(payload));
                expected.add(record);
            }
            file.finish();
        }
        return out.toByteArray();
    }

    /**
     * A random record: its fields, how to write it and how to check what was read.
     */
    static final class Expected
    {
        int kind;
        long tick;
        int playerId;
        int number;
        long viewTick;
        int[] values;
        byte[] bytes;
        Identity identity;
        String name;
        Map<String, String> options;
        LeaveReason reason;

        static Expected random(final SplittableRandom random)
        {
            final Expected r = new Expected();
            r.kind = random.nextInt(8) == 7 ? JournalFormat.VIEW : 1 + random.nextInt(7);
            r.tick = random.nextBoolean() ? random.nextLong(1000) : random.nextLong(Long.MAX_VALUE);
            r.playerId = random.nextBoolean() ? random.nextInt(64) : random.nextInt(Integer.MAX_VALUE);
            r.number = random.nextInt();
            r.viewTick = random.nextLong();
            r.values = random.ints(random.nextInt(InputSchema.MAX_FIELDS + 1)).toArray();
            r.bytes = new byte[random.nextInt(random.nextBoolean() ? 8 : 300)];
            random.nextBytes(r.bytes);
            r.reason = LeaveReason.values()[random.nextInt(LeaveReason.values().length)];
            r.identity = random.nextBoolean() ? null : new Identity("sub-" + random.nextInt(), "Åda ✓",
                random.nextBoolean() ? Map.of() : Map.of("team", "red", "rank", "7"));
            r.name = "p" + random.nextInt(1000);
            r.options = new LinkedHashMap<>();
            if (random.nextBoolean())
            {
                r.options.put("team", "blue");
            }
            if (random.nextBoolean())
            {
                r.options.put("level", Integer.toString(1 + random.nextInt(9)));
            }
            if (r.kind == JournalFormat.FANOUT)
            {
                r.values = random.ints(random.nextInt(40)).toArray();
            }
            if (r.kind == JournalFormat.VIEW)
            {
                r.values = random.ints(random.nextInt(40), 0, Integer.MAX_VALUE).sorted().distinct().toArray();
            }
            return r;
        }

        int write(final ExpandableArrayBuffer buffer)
        {
            switch (kind)
            {
                case JournalFormat.JOIN:
                    return JournalRecords.putJoin(buffer, 0, tick, playerId, identity, name, TYPE,
                        JoinOptionValues.of(TYPE, options));
                case JournalFormat.LEAVE:
                    return JournalRecords.putLeave(buffer, 0, tick, playerId, reason);
                case JournalFormat.INPUT:
                    return JournalRecords.putInput(buffer, 0, tick, playerId, number, viewTick, values, 0,
                        values.length);
                case JournalFormat.MESSAGE:
                    return JournalRecords.putMessage(buffer, 0, tick, playerId, number & 0xFF,
                        new UnsafeBuffer(bytes), 0, bytes.length);
                case JournalFormat.TICK:
                    return JournalRecords.putTick(buffer, 0, tick, number);
                case JournalFormat.VIEW:
                    final long[] keys = new long[values.length];
                    Arrays.setAll(keys, i -> (long)values[i] << 32 | i);
                    return JournalRecords.putView(buffer, 0, tick, playerId, keys, keys.length);
                case JournalFormat.FANOUT:
                    final int[] ids = new int[values.length];
                    Arrays.setAll(ids, i -> i * 3 + playerId % 1000);
                    return JournalRecords.putFanOut(buffer, 0, tick, values.length, ids, values);
                default:
                    return JournalRecords.putReplace(buffer, 0, tick, playerId);
            }
        }

        void check(final JournalRecord record, final JournalReader reader)
        {
            assertEquals(kind, record.kind);
            assertEquals(tick, record.tick);
            switch (kind)
            {
                case JournalFormat.JOIN:
                    assertEquals(playerId, record.playerId);
                    assertEquals(identity, record.identity);
                    assertEquals(name, record.playerName);
                    assertEquals(options, record.options);
                    break;
                case JournalFormat.LEAVE:
                    assertEquals(playerId, record.playerId);
                    assertEquals(reason, record.reason);
                    break;
                case JournalFormat.INPUT:
                    assertEquals(playerId, record.playerId);
                    assertEquals(number, record.inputSeq);
                    assertEquals(viewTick, record.viewTick);
                    assertArrayEquals(values, Arrays.copyOf(record.values, record.valueCount));
                    break;
                case JournalFormat.MESSAGE:
                    assertEquals(playerId, record.playerId);
                    assertEquals(number & 0xFF, record.typeId);
                    final byte[] read = new byte[record.fieldsLength];
                    reader.buffer().getBytes(record.fieldsOffset, read);
                    assertArrayEquals(bytes, read);
                    break;
                case JournalFormat.TICK:
                    assertEquals(number, record.worldChecksum);
                    break;
                case JournalFormat.VIEW:
                    assertEquals(playerId, record.playerId);
                    assertArrayEquals(values, Arrays.copyOf(record.fanOutPlayerIds, record.fanOutCount));
                    break;
                case JournalFormat.FANOUT:
                    assertEquals(values.length, record.fanOutCount);
                    assertArrayEquals(values, Arrays.copyOf(record.fanOutChecksums, record.fanOutCount));
                    for (int i = 0; i < values.length; i++)
                    {
                        assertEquals(i * 3 + playerId % 1000, record.fanOutPlayerIds[i]);
                    }
                    break;
                default:
                    assertEquals(playerId, record.playerId);
                    break;
            }
        }
    }
}
