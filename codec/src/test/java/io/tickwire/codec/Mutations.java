package io.tickwire.codec;

import org.agrona.MutableDirectBuffer;

import java.util.SplittableRandom;

/**
 * Random damage to an encoded message, as a hostile or broken peer would send it: flipped bits, random bytes,
 * truncation, extra bytes.
 */
public final class Mutations
{
    private Mutations()
    {
    }

    /**
     * Mutates {@code length} bytes at offset 0 of {@code buffer} in place; the buffer must hold 16 more bytes.
     *
     * @return the new length.
     */
    public static int mutate(final SplittableRandom random, final MutableDirectBuffer buffer, final int length)
    {
        int newLength = length;
        final int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++)
        {
            switch (random.nextInt(5))
            {
                case 0:
                    newLength = random.nextInt(newLength + 1);
                    break;
                case 1:
                    final int extra = 1 + random.nextInt(8);
                    for (int i = 0; i < extra; i++)
                    {
                        buffer.putByte(newLength + i, (byte)random.nextInt(256));
                    }
                    newLength += extra;
                    break;
                case 2:
                    if (newLength > 0)
                    {
                        final int at = random.nextInt(newLength);
                        buffer.putByte(at, (byte)(buffer.getByte(at) ^ (1 << random.nextInt(8))));
                    }
                    break;
                default:
                    if (newLength > 0)
                    {
                        buffer.putByte(random.nextInt(newLength), (byte)random.nextInt(256));
                    }
                    break;
            }
        }
        return newLength;
    }
}
