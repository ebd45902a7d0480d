package io.tickwire.sim.checkpoint;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.tickwire.api.ByteStateReader;
import io.tickwire.api.ByteStateWriter;
import io.tickwire.api.Identity;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link CheckpointCodec}: a frame's snapshot and game bytes survive the trip through Kryo exactly, unicode and
 * claims included; anything that is not such a checkpoint (foreign, truncated, unregistered, corrupted, hostile
 * lengths) is refused with a {@link CheckpointFormatException}, never an {@link Error} or a Kryo exception.
 */
class CheckpointCodecTest
{
    private static final String ROOM = "salle-été-🎮";

    @Test
    void aFrameRoundTripsWithUnicodeClaimsMetadataAndGameBytes() throws CheckpointFormatException
    {
        final CheckpointFrame frame = filledFrame();

        final RoomSnapshot read = CheckpointCodec.read(CheckpointCodec.write(frame));

        assertEquals(ROOM, read.room());
        assertEquals("arena", read.type());
        assertEquals(7, read.epoch());
        assertEquals(1234, read.tick());
        assertEquals(0xDEADBEEFCAFEL, read.randomState());
        assertEquals(9, read.nextPlayerId());
        assertEquals(Map.of("mode", "ctf"), read.createOptions());
        assertEquals(true, read.pinned());
        assertEquals(true, read.locked());
        assertEquals(false, read.hidden());
        assertEquals(false, read.faulted());
        assertEquals(2, read.failedTicks());
        assertEquals(40, read.emptyTicks());
        assertEquals(2, read.metaCount());
        assertEquals("карта", read.metaKeys()[0]);
        assertEquals("東京", read.metaValues()[0]);
        assertEquals("phase", read.metaKeys()[1]);
        assertEquals(2, read.seatCount());
        final SeatState ann = read.seat(0);
        assertEquals(3, ann.playerId());
        assertEquals(103, ann.entityId());
        assertEquals("Ånn 👾", ann.name());
        assertEquals(new Identity("sub|ünï", "Ånn", Map.of("role", "admin", "clé", "välue")), ann.identity());
        assertEquals(Map.of("team", "1"), ann.options());
        assertEquals(1, ann.metaCount());
        assertEquals("score", ann.metaKeys()[0]);
        assertEquals("12", ann.metaValues()[0]);
        final SeatState anonymous = read.seat(1);
        assertEquals(8, anonymous.playerId());
        assertEquals(-1, anonymous.entityId());
        assertNull(anonymous.identity());
        assertEquals(0, anonymous.metaCount());
        assertEquals(1, read.gameVersion());
        assertEquals(0xFFFF_FFFEL, read.captureCrc());

        final ByteStateReader game = new ByteStateReader(read.game(), 0, read.gameLength());
        assertEquals(42, game.readVarInt());
        assertEquals("état 🎲", game.readString());
        assertNull(game.readString());
        assertEquals(-5L, game.readLong());
        assertEquals(0, game.remaining());
    }

    @Test
    void aDecodedSnapshotEncodesToTheSameBytes() throws CheckpointFormatException
    {
        final byte[] bytes = CheckpointCodec.write(filledFrame());
        assertArrayEquals(bytes, CheckpointCodec.write(CheckpointCodec.read(bytes)));
    }

    @Test
    void theFrameWriterWritesWhatTheApiWriterWrites()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);
        final BufferStateWriter frameWriter = new BufferStateWriter(buffer);
        final ByteStateWriter apiWriter = new ByteStateWriter();
        final String[] strings = {"", "a", "é", "€", "🎮", "x\uD800y", "\uDC00", "mixed ü € 🎮 end", null};
        for (final String value : strings)
        {
            frameWriter.writeString(value);
            apiWriter.writeString(value);
        }
        frameWriter.writeBoolean(true);
        apiWriter.writeBoolean(true);
        frameWriter.writeVarInt(-1);
        apiWriter.writeVarInt(-1);
        frameWriter.writeDouble(Math.PI);
        apiWriter.writeDouble(Math.PI);
        frameWriter.writeInts(new int[] {1, -2, 3}, 1, 2);
        apiWriter.writeInts(new int[] {1, -2, 3}, 1, 2);
        frameWriter.writeLongs(new long[] {Long.MIN_VALUE}, 0, 1);
        apiWriter.writeLongs(new long[] {Long.MIN_VALUE}, 0, 1);

        final byte[] written = new byte[frameWriter.length()];
        buffer.getBytes(0, written);
        assertArrayEquals(apiWriter.toByteArray(), written);
    }

    @Test
    void bytesThatAreNotACheckpointAreRefused() throws IOException
    {
        assertRefused(null);
        assertRefused(new byte[0]);
        assertRefused("TWC".getBytes(StandardCharsets.US_ASCII));
        assertRefused("TWC1".getBytes(StandardCharsets.US_ASCII));
        assertRefused("{\"room\":\"arena-1\"}".getBytes(StandardCharsets.UTF_8));
        final ByteArrayOutputStream javaSerialized = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(javaSerialized))
        {
            out.writeObject(new java.util.HashMap<>(Map.of("room", "arena-1")));
        }
        assertRefused(javaSerialized.toByteArray());
        final byte[] valid = CheckpointCodec.write(filledFrame());
        final byte[] wrongMagic = valid.clone();
        wrongMagic[3] = '2';
        assertRefused(wrongMagic);
        final byte[] trailing = Arrays.copyOf(valid, valid.length + 1);
        assertRefused(trailing);
    }

    @Test
    void aKryoStreamOfAnotherClassIsRefused()
    {
        final Kryo foreign = new Kryo();
        foreign.setRegistrationRequired(true);
        foreign.register(ForeignState.class, 20);
        foreign.register(int[].class, 30);
        final Output output = new Output(256);
        output.writeBytes("TWC1".getBytes(StandardCharsets.US_ASCII));
        foreign.writeClassAndObject(output, new int[] {1, 2, 3});
        assertRefused(output.toBytes());

        output.reset();
        output.writeBytes("TWC1".getBytes(StandardCharsets.US_ASCII));
        foreign.writeClassAndObject(output, "a registered default class, not a snapshot");
        assertRefused(output.toBytes());
    }

    @Test
    void everyTruncationIsRefused()
    {
        final byte[] valid = CheckpointCodec.write(filledFrame());
        for (int length = 0; length < valid.length; length++)
        {
            assertRefused(Arrays.copyOf(valid, length));
        }
    }

    @Test
    void hostileLengthsCostNoMoreThanTheirBytes()
    {
        final byte[] magic = "TWC1".getBytes(StandardCharsets.US_ASCII);
        // class id 20 (RoomSnapshot, written +2), format 1, then a room name claiming 2^31 - 2 bytes
        final byte[] hugeString = concat(magic, new byte[] {22, 1, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, 7});
        assertRefused(hugeString);
        final byte[] valid = CheckpointCodec.write(filledFrame());
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] corrupted = valid.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--)
            {
                corrupted[4 + random.nextInt(corrupted.length - 4)] = (byte)random.nextInt(256);
            }
            try
            {
                CheckpointCodec.read(corrupted);
            }
            catch (final CheckpointFormatException expected)
            {
                assertTrue(expected.getMessage() != null);
            }
        }
    }

    private static void assertRefused(final byte[] bytes)
    {
        try
        {
            CheckpointCodec.read(bytes);
            fail("accepted " + (bytes == null ? null : Arrays.toString(bytes)));
        }
        catch (final CheckpointFormatException expected)
        {
            assertTrue(expected.getMessage() != null);
        }
        catch (final Throwable other)
        {
            fail("refused with " + other + " rather than a CheckpointFormatException", other);
        }
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    static CheckpointFrame filledFrame()
    {
        final CheckpointFrame frame = new CheckpointFrame(4, 8);
        final Map<String, String> meta = new LinkedHashMap<>();
        meta.put("карта", "東京");
        meta.put("phase", "playing");
        frame.snapshot()
            .header(ROOM, "arena", 7, 1234, 0xDEADBEEFCAFEL, 9, Map.of("mode", "ctf"))
            .flags(true, true, false, false, 2, 40)
            .metadata(meta.keySet().toArray(new String[0]), meta.values().toArray(new String[0]), meta.size());
        frame.snapshot().seatCount(2);
        frame.snapshot().seat(0).set(3, 103, "Ånn 👾",
            new Identity("sub|ünï", "Ånn", Map.of("role", "admin", "clé", "välue")), Map.of("team", "1"),
            new String[] {"score"}, new String[] {"12"}, 1);
        frame.snapshot().seat(1).set(8, -1, "anon", null, Map.of(), new String[0], new String[0], 0);
        final io.tickwire.api.StateWriter game = frame.beginGame();
        game.writeVarInt(42);
        game.writeString("état 🎲");
        game.writeString(null);
        game.writeLong(-5L);
        frame.complete(1, 0xFFFF_FFFEL);
        return frame;
    }

    /**
     * A class some other program registered under the id of ours.
     */
    static final class ForeignState
    {
        int value;
    }
}
