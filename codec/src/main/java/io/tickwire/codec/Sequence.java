package io.tickwire.codec;

/**
 * Wrap-safe arithmetic on the unsigned 32-bit sequence numbers of snapshots and inputs. Sequences start at 1;
 * 0 means "none". Two sequences compare by their signed 32-bit difference, so comparisons stay right across
 * the wrap as long as the two are less than 2^31 apart.
 */
public final class Sequence
{
    public static final int NONE = 0;

    private Sequence()
    {
    }

    /**
     * @return true when {@code a} comes after {@code b}.
     */
    public static boolean isNewer(final int a, final int b)
    {
        return a - b > 0;
    }

    /**
     * @return the sequence after {@code sequence}, skipping {@link #NONE} on wrap.
     */
    public static int next(final int sequence)
    {
        final int next = sequence + 1;
        return next == NONE ? 1 : next;
    }
}
