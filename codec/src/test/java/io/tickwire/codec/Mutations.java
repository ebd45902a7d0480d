package io.tickwire.codec;

import org.agrona.MutableDirectBuffer;

import java.util.SplittableRandom;

/**
 * {@link io.tickwire.testsupport.Mutations} in place on an Agrona buffer.
 */
public final class Mutations
{
    private Mutations()
    {
    }

    /**
     * Mutates {@code length} bytes at offset 0 of {@code buffer} in place; the buffer must hold
     * {@link io.tickwire.testsupport.Mutations#MAX_GROWTH} more bytes.
     *
     * @return the new length.
     */
    public static int mutate(final SplittableRandom random, final MutableDirectBuffer buffer, final int length)
    {
        final byte[] message = new byte[length];
        buffer.getBytes(0, message);
        final byte[] mutated = io.tickwire.testsupport.Mutations.mutate(random, message);
        buffer.putBytes(0, mutated);
        return mutated.length;
    }
}
