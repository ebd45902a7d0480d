package io.tickwire.codec;

import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.Welcome;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The golden vectors of docs/PROTOCOL.md, checked in both directions: encoding the documented messages gives the
 * bytes in {@code src/test/resources/golden/*.hex}, and decoding those bytes gives the documented messages and
 * views. A client author in any language can test against the same files.
 * <p>
 * Run with {@code -Dgolden.write=true} to rewrite the files after a deliberate protocol change.
 */
class GoldenVectorsTest
{
    /** The arena's schema at its defaults: 1000 x 1000 world, 30 Hz, players at 120 units/s. */
    static final EntitySchema ARENA_SCHEMA = new EntitySchema(List.of(
        FieldDef.fixed("x", 0, 16000, 16, 2, FieldRole.POSITION_X),
        FieldDef.fixed("y", 0, 16000, 16, 3, FieldRole.POSITION_Y),
        FieldDef.fixed("vx", -64, 64, 16, FieldDef.NO_PREDICTOR, FieldRole.NONE),
        FieldDef.fixed("vy", -64, 64, 16, FieldDef.NO_PREDICTOR, FieldRole.NONE),
        FieldDef.uint("hp", 255),
        FieldDef.enumeration("kind", 2)));

    private static final Welcome WELCOME = new Welcome(7, 30, 201, "demo", 30, ARENA_SCHEMA);

    private static final int[] NPC_1_T100 = {1600, 3200, 32, 0, 200, 0};
    private static final int[] NPC_5_T100 = {8000, 8000, 0, -32, 90, 0};
    private static final int[] PLAYER_201_T100 = {4000, 4000, 0, 0, 100, 1};

    private static final int[] NPC_1_T103 = {1696, 3200, 32, 0, 200, 0};
    private static final int[] NPC_5_T103 = {7970, 7904, -23, -22, 90, 0};
    private static final int[] NPC_9_T103 = {4100, 4050, 0, 32, 17, 0};

    private final ControlCodec controlCodec = new ControlCodec();
    private final SnapshotEncoder encoder = new SnapshotEncoder(ARENA_SCHEMA);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);

    @Test
    void welcomeWithTheArenaSchema()
    {
        final int length = controlCodec.encode(WELCOME, buffer, 0);
        check("welcome.hex", bytes(length));
        final byte[] golden = read("welcome.hex");
        assertEquals(WELCOME, controlCodec.decode(new UnsafeBuffer(golden), 0, golden.length));
    }

    @Test
    void fullSnapshotThenDeltaWithEntersChangesAndLeaves()
    {
        check("full-snapshot.hex", bytes(encodeFull()));
        check("delta-snapshot.hex", bytes(encodeDelta()));

        final SnapshotDecoder decoder = new SnapshotDecoder(ARENA_SCHEMA, 32, 64);
        final byte[] full = read("full-snapshot.hex");
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(new UnsafeBuffer(full), 0, full.length));
        assertView(decoder, new int[] {1, 5, 201}, NPC_1_T100, NPC_5_T100, PLAYER_201_T100);

        final byte[] delta = read("delta-snapshot.hex");
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(new UnsafeBuffer(delta), 0, delta.length));
        assertView(decoder, new int[] {1, 5, 9}, NPC_1_T103, NPC_5_T103, NPC_9_T103);
        assertEquals(4, decoder.ackSeq());
        assertEquals(103, decoder.tick());
        assertEquals(3, decoder.lastInputSeq());
        assertEquals(0, decoder.checksumMismatches());
    }

    private int encodeFull()
    {
        encoder.begin(buffer, 0, 100, 1, Sequence.NONE, 0, 0, true);
        encoder.enter(1, NPC_1_T100, 0);
        encoder.enter(5, NPC_5_T100, 0);
        encoder.enter(201, PLAYER_201_T100, 0);
        return encoder.finish();
    }

    private int encodeDelta()
    {
        encoder.begin(buffer, 0, 103, 4, 1, 100, 3, true);
        encoder.update(1, NPC_1_T103, 0, NPC_1_T100, 0);
        encoder.update(5, NPC_5_T103, 0, NPC_5_T100, 0);
        encoder.enter(9, NPC_9_T103, 0);
        encoder.remove(201);
        return encoder.finish();
    }

    private static void assertView(final SnapshotDecoder decoder, final int[] ids, final int[]... values)
    {
        assertEquals(ids.length, decoder.entityCount());
        for (int i = 0; i < ids.length; i++)
        {
            assertEquals(ids[i], decoder.entityId(i));
            for (int f = 0; f < values[i].length; f++)
            {
                assertEquals(values[i][f], decoder.value(i, f), "entity " + ids[i] + " field " + f);
            }
        }
    }

    private byte[] bytes(final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static void check(final String name, final byte[] encoded)
    {
        if (Boolean.getBoolean("golden.write"))
        {
            write(name, encoded);
        }
        assertArrayEquals(read(name), encoded, name);
    }

    /**
     * Reads a hex file: pairs of hex digits separated by white space; '#' starts a comment to the end of line.
     */
    static byte[] read(final String name)
    {
        try (InputStream in = GoldenVectorsTest.class.getResourceAsStream("/golden/" + name))
        {
            assertNotNull(in, "missing golden file " + name);
            final StringBuilder hex = new StringBuilder();
            for (final String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n"))
            {
                final int comment = line.indexOf('#');
                hex.append(comment < 0 ? line : line.substring(0, comment)).append(' ');
            }
            final String[] pairs = hex.toString().trim().split("\\s+");
            final byte[] bytes = new byte[pairs.length];
            for (int i = 0; i < pairs.length; i++)
            {
                bytes[i] = (byte)Integer.parseInt(pairs[i], 16);
            }
            return bytes;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void write(final String name, final byte[] bytes)
    {
        final StringBuilder hex = new StringBuilder("# Tickwire protocol v1 golden vector: see docs/PROTOCOL.md\n");
        for (int i = 0; i < bytes.length; i++)
        {
            hex.append(String.format("%02x", bytes[i] & 0xFF)).append((i % 16 == 15) ? "\n" : " ");
        }
        try
        {
            Files.writeString(Path.of("src/test/resources/golden", name), hex.toString().trim() + "\n");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
