package io.tickwire.api;

import java.util.random.RandomGenerator;

/**
 * A room's random generator: SplitMix64, the algorithm of {@link java.util.SplittableRandom}, with a state the
 * server can save in a checkpoint and put back. {@code new RoomRandom(seed)} draws the same sequence as
 * {@code new SplittableRandom(seed)} for {@link #nextLong()}, {@link #nextInt()} and every method
 * {@link RandomGenerator} derives from them ({@code nextInt(bound)}, {@code nextInt(origin, bound)},
 * {@code nextDouble()}, {@code nextBoolean()}, ...), so worlds recorded with a {@code SplittableRandom} replay
 * unchanged. Unlike it, this one is not splittable.
 * <p>
 * Owned by the room's shard thread; not thread-safe. {@link #restoreState(long)} changes this instance in place, so
 * a game may keep the reference it was given.
 */
public final class RoomRandom implements RandomGenerator
{
    /** The odd increment of the sequence, as in {@link java.util.SplittableRandom}. */
    public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long seed;

    /**
     * @param seed the same seed a {@code new SplittableRandom(seed)} would be given for the same sequence.
     */
    public RoomRandom(final long seed)
    {
        this.seed = seed;
    }

    public long nextLong()
    {
        return mix64(seed += GOLDEN_GAMMA);
    }

    public int nextInt()
    {
        return mix32(seed += GOLDEN_GAMMA);
    }

    /**
     * @return the whole state of the generator: {@link #restoreState(long)} with it resumes the sequence exactly
     * where it is now.
     */
    public long state()
    {
        return seed;
    }

    /**
     * Puts back a state read with {@link #state()}: the next draws are the ones that followed it.
     */
    public void restoreState(final long state)
    {
        this.seed = state;
    }

    public String toString()
    {
        return "RoomRandom{state=" + seed + '}';
    }

    private static long mix64(final long z0)
    {
        long z = (z0 ^ (z0 >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int mix32(final long z0)
    {
        final long z = (z0 ^ (z0 >>> 33)) * 0x62A9D9ED799705F5L;
        return (int)(((z ^ (z >>> 28)) * 0xCB24D0A5C88C35B3L) >>> 32);
    }
}
