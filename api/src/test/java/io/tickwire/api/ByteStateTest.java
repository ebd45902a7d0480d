package io.tickwire.api;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ByteStateWriter} and {@link ByteStateReader}: what is written reads back exactly, in its documented
 * little-endian layout, and a short or malformed state fails with {@link IllegalStateException}, never past its end.
 */
class ByteStateTest
{
    @Property(tries = 300)
    void everyValueReadsBackExactly(
        @ForAll final boolean flag, @ForAll final int number, @ForAll final long wide, @ForAll final double real,
        @ForAll final String text, @ForAll final int[] ints, @ForAll final long[] longs)
    {
        final ByteStateWriter out = new ByteStateWriter(1);
        out.writeBoolean(flag);
        out.writeInt(number);
        out.writeVarInt(number);
        out.writeLong(wide);
        out.writeDouble(real);
        out.writeString(text);
        out.writeString(null);
        out.writeVarInt(ints.length);
        out.writeInts(ints, 0, ints.length);
        out.writeLongs(longs, 0, longs.length);

        final ByteStateReader in = new ByteStateReader(out.toByteArray());
        assertEquals(flag, in.readBoolean());
        assertEquals(number, in.readInt());
        assertEquals(number, in.readVarInt());
        assertEquals(wide, in.readLong());
        assertEquals(Double.doubleToRawLongBits(real), Double.doubleToRawLongBits(in.readDouble()));
        assertEquals(text, in.readString());
        assertNull(in.readString());
        final int[] intsBack = new int[in.readVarInt()];
        in.readInts(intsBack, 0, intsBack.length);
        assertArrayEquals(ints, intsBack);
        final long[] longsBack = new long[longs.length];
        in.readLongs(longsBack, 0, longsBack.length);
        assertArrayEquals(longs, longsBack);
        assertEquals(0, in.remaining());
    }

    @Test
    void layoutIsLittleEndianWithShortVarInts()
    {
        final ByteStateWriter out = new ByteStateWriter();
        out.writeInt(0x04030201);
        out.writeVarInt(300);
        out.writeString("é");
        out.writeInts(new int[] {9, 0x0A0B0C0D}, 1, 1);
        assertArrayEquals(new byte[] {1, 2, 3, 4, (byte)0xAC, 0x02, 3, (byte)0xC3, (byte)0xA9, 0x0D, 0x0C, 0x0B, 0x0A},
            out.toByteArray());
        assertEquals(0, out.reset().length());
    }

    @Test
    void shortOrMalformedStateThrowsAndReportsWhatRemains()
    {
        final ByteStateReader in = new ByteStateReader(new byte[] {1, 2, 3});
        assertEquals(3, in.remaining());
        final IllegalStateException underflow = assertThrows(IllegalStateException.class, in::readInt);
        assertTrue(underflow.getMessage().contains("underflow"), underflow.getMessage());
        assertEquals(3, in.remaining());
        assertThrows(IllegalStateException.class, in::readLong);
        assertThrows(IllegalStateException.class, () -> in.readInts(new int[1], 0, 1));
        assertThrows(IllegalStateException.class, () -> in.readLongs(new long[1], 0, 1));
        assertTrue(in.readBoolean());
        assertThrows(IllegalStateException.class, in::readBoolean);

        assertThrows(IllegalStateException.class, () -> new ByteStateReader(new byte[] {10, 'a'}).readString());
        assertThrows(IllegalStateException.class,
            () -> new ByteStateReader(new byte[] {-1, -1, -1, -1, -1, 1}).readVarInt());
        assertThrows(IllegalStateException.class,
            () -> new ByteStateReader(new byte[] {-1, -1, -1, -1, 0x1F}).readVarInt());
        assertThrows(IllegalStateException.class, () -> new ByteStateReader(new byte[] {(byte)0x80}).readVarInt());
        final ByteStateReader window = new ByteStateReader(new byte[] {7, 0, 0, 0, 8}, 0, 4);
        assertEquals(7, window.readInt());
        assertFalse(window.remaining() > 0);
        assertThrows(IllegalStateException.class, window::readBoolean);
    }

    @Test
    void gamesDoNotCheckpointUnlessTheyDeclareIt()
    {
        final Game game = new Game()
        {
            public void onJoin(final Player player)
            {
            }

            public void onLeave(final Player player, final LeaveReason reason)
            {
            }

            public void onInput(final Player player, final Input input)
            {
            }

            public void step(final long tick)
            {
            }

            public void capture(final EntityWriter entities)
            {
            }
        };
        assertThrows(UnsupportedOperationException.class, () -> game.save(new ByteStateWriter()));
        assertThrows(UnsupportedOperationException.class, () -> game.restore(new ByteStateReader(new byte[0]), 1));
    }
}
