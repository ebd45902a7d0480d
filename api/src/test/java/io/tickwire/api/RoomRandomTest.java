package io.tickwire.api;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link RoomRandom} draws exactly what {@link SplittableRandom} draws from the same seed, so rooms and their recorded
 * runs (the arena's reference checksum) are unchanged by the switch, and its saved state resumes the sequence.
 */
class RoomRandomTest
{
    private static final int DRAWS = 100_000;

    @Property(tries = 40)
    void drawsTheSameSequenceAsSplittableRandom(@ForAll final long seed)
    {
        final RoomRandom random = new RoomRandom(seed);
        final SplittableRandom reference = new SplittableRandom(seed);
        final SplittableRandom pick = new SplittableRandom(~seed);
        for (int i = 0; i < DRAWS; i++)
        {
            final int kind = pick.nextInt(6);
            assertEquals(describe(kind, reference), describe(kind, random), "draw " + i + " of seed " + seed);
        }
    }

    @Property(tries = 40)
    void aRestoredStateResumesTheExactSequence(@ForAll final long seed)
    {
        final RoomRandom random = new RoomRandom(seed);
        final SplittableRandom pick = new SplittableRandom(~seed);
        final int before = pick.nextInt(1000);
        for (int i = 0; i < before; i++)
        {
            describe(pick.nextInt(6), random);
        }
        final long saved = random.state();
        final long[] expected = new long[1000];
        for (int i = 0; i < expected.length; i++)
        {
            expected[i] = describe(i % 6, random);
        }

        final RoomRandom elsewhere = new RoomRandom(seed + 1);
        elsewhere.nextLong();
        elsewhere.restoreState(saved);
        random.restoreState(saved);
        for (int i = 0; i < expected.length; i++)
        {
            assertEquals(expected[i], describe(i % 6, elsewhere), "draw " + i + " after a restore elsewhere");
            assertEquals(expected[i], describe(i % 6, random), "draw " + i + " after a restore in place");
        }
    }

    private static long describe(final int kind, final java.util.random.RandomGenerator random)
    {
        return switch (kind)
        {
            case 0 -> random.nextLong();
            case 1 -> random.nextInt();
            case 2 -> random.nextInt(257);
            case 3 -> random.nextInt(-5, 1000);
            case 4 -> Double.doubleToLongBits(random.nextDouble());
            default -> random.nextBoolean() ? 1 : 0;
        };
    }
}
