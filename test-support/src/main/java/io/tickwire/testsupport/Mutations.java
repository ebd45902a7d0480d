package io.tickwire.testsupport;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Random damage to an encoded message, as a hostile or broken peer would send it: flipped bits, random bytes,
 * truncation, extra bytes. Most results still start with a valid type byte, so fuzzing gets past the first check.
 */
public final class Mutations
{
    /** The most bytes one mutation appends. */
    public static final int MAX_GROWTH = 24;

    private Mutations()
    {
    }

    /**
     * @return a damaged copy of {@code message}: one to three edits.
     */
    public static byte[] mutate(final SplittableRandom random, final byte[] message)
    {
        byte[] bytes = message.clone();
        final int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++)
        {
            switch (random.nextInt(5))
            {
                case 0:
                    bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                    break;
                case 1:
                    final int extra = 1 + random.nextInt(8);
                    bytes = Arrays.copyOf(bytes, bytes.length + extra);
                    for (int i = bytes.length - extra; i < bytes.length; i++)
                    {
                        bytes[i] = (byte)random.nextInt(256);
                    }
                    break;
                case 2:
                    if (bytes.length > 0)
                    {
                        bytes[random.nextInt(bytes.length)] ^= (byte)(1 << random.nextInt(8));
                    }
                    break;
                default:
                    if (bytes.length > 0)
                    {
                        bytes[random.nextInt(bytes.length)] = (byte)random.nextInt(256);
                    }
                    break;
            }
        }
        return bytes;
    }
}
