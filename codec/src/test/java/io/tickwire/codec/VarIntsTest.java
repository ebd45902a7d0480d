package io.tickwire.codec;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VarIntsTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);
    private final VarInts.Reader reader = new VarInts.Reader();

    @Property(tries = 2000)
    void roundTripsAnyLongWithItsPredictedLength(@ForAll final long value)
    {
        final int end = VarInts.putVarLong(buffer, 3, value);
        assertEquals(VarInts.lengthOf(value), end - 3);
        reader.wrap(buffer, 3, end - 3);
        assertEquals(value, reader.varLong());
        assertTrue(reader.isValid());
        assertEquals(0, reader.remaining());
        assertEquals(value, VarInts.unzigzag(VarInts.zigzag(value)));
    }

    @Test
    void encodesTheDocumentedBytes()
    {
        assertEquals(1, VarInts.putVarLong(buffer, 0, 0));
        assertEquals(0, buffer.getByte(0));
        assertEquals(2, VarInts.putVarLong(buffer, 0, 300));
        assertEquals((byte)0xAC, buffer.getByte(0));
        assertEquals(0x02, buffer.getByte(1));
        assertEquals(0, VarInts.zigzag(0));
        assertEquals(1, VarInts.zigzag(-1));
        assertEquals(2, VarInts.zigzag(1));
        assertEquals(3, VarInts.zigzag(-2));
    }

    @Test
    void truncatedOrOverlongInputIsMalformedNotAnException()
    {
        buffer.putByte(0, (byte)0x80);
        reader.wrap(buffer, 0, 1);
        assertEquals(0, reader.varLong());
        assertFalse(reader.isValid());

        for (int i = 0; i < 11; i++)
        {
            buffer.putByte(i, (byte)0xFF);
        }
        reader.wrap(buffer, 0, 11);
        reader.varLong();
        assertFalse(reader.isValid());

        buffer.putByte(0, (byte)0x05);
        reader.wrap(buffer, 0, 1);
        assertEquals(0, reader.varInt(4));
        assertFalse(reader.isValid());
        assertEquals(0, reader.u32());
    }

    @Property(tries = 2000)
    void arbitraryBytesNeverThrow(@ForAll @Size(max = 24) final byte[] bytes)
    {
        reader.wrap(new UnsafeBuffer(bytes), 0, bytes.length);
        while (reader.isValid() && reader.remaining() > 0)
        {
            reader.zigzagLong();
        }
    }

    @Test
    void onlyTheShortestFormIsAccepted()
    {
        for (final String hex : new String[] {"80 00", "81 00", "ff 80 00", "80 80 80 80 80 80 80 80 80 00"})
        {
            final byte[] bytes = Hex.parse(hex);
            reader.wrap(new UnsafeBuffer(bytes), 0, bytes.length);
            reader.varLong();
            assertFalse(reader.isValid(), hex);
        }
        final byte[] max = Hex.parse("ff ff ff ff ff ff ff ff ff 01");
        reader.wrap(new UnsafeBuffer(max), 0, max.length);
        assertEquals(-1L, reader.varLong());
        assertTrue(reader.isValid());
    }

    @Test
    void rangedValuesCoverTheWholeIntRange()
    {
        final int end = VarInts.putVarLong(buffer, 0, (long)Integer.MAX_VALUE - Integer.MIN_VALUE);
        reader.wrap(buffer, 0, end);
        assertEquals(Integer.MAX_VALUE, reader.rangedInt(Integer.MIN_VALUE, Integer.MAX_VALUE));
        assertTrue(reader.isValid());
        reader.wrap(buffer, 0, end);
        reader.rangedInt(Integer.MIN_VALUE + 1, Integer.MAX_VALUE);
        assertFalse(reader.isValid());

        final int zigzag = VarInts.putVarLong(buffer, 0, VarInts.zigzag(Integer.MIN_VALUE));
        reader.wrap(buffer, 0, zigzag);
        assertEquals(Integer.MIN_VALUE, reader.zigzagInt());
        assertTrue(reader.isValid());
        final int beyond = VarInts.putVarLong(buffer, 0, VarInts.zigzag(Integer.MIN_VALUE - 1L));
        reader.wrap(buffer, 0, beyond);
        reader.zigzagInt();
        assertFalse(reader.isValid());
    }
}
