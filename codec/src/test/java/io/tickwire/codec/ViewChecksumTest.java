package io.tickwire.codec;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The checksum is MurmurHash3 x86_32, seed 0, of the words' little-endian bytes: checked against a byte-oriented
 * reference written from the algorithm's definition, so a client can use any MurmurHash3 library.
 */
class ViewChecksumTest
{
    @Test
    void theWorkedExampleOfTheSpec()
    {
        final ViewChecksum checksum = new ViewChecksum().reset();
        checksum.addEntity(7, new int[] {100, -3}, 0, 2);
        assertEquals(0x6013A889, checksum.value());
        assertEquals(murmur3(new byte[] {7, 0, 0, 0, 100, 0, 0, 0, (byte)0xFD, (byte)0xFF, (byte)0xFF, (byte)0xFF}),
            checksum.value());
        assertEquals(0, new ViewChecksum().reset().value(), "an empty view");
    }

    @Property(tries = 500)
    void equalsMurmurHash3OfTheLittleEndianWords(@ForAll @Size(max = 40) final int[] words)
    {
        final ViewChecksum checksum = new ViewChecksum().reset();
        final ByteBuffer bytes = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (final int word : words)
        {
            checksum.add(word);
            bytes.putInt(word);
        }
        assertEquals(murmur3(bytes.array()), checksum.value());
    }

    /**
     * MurmurHash3_x86_32 with seed 0 over whole 4-byte blocks (a view's length is always a multiple of 4).
     */
    private static int murmur3(final byte[] data)
    {
        int h = 0;
        for (int i = 0; i + 4 <= data.length; i += 4)
        {
            int k = (data[i] & 0xFF) | (data[i + 1] & 0xFF) << 8 | (data[i + 2] & 0xFF) << 16 | data[i + 3] << 24;
            k *= 0xCC9E2D51;
            k = (k << 15) | (k >>> 17);
            k *= 0x1B873593;
            h ^= k;
            h = (h << 13) | (h >>> 19);
            h = h * 5 + 0xE6546B64;
        }
        h ^= data.length;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }
}
