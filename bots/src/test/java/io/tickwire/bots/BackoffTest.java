package io.tickwire.bots;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest
{
    private static final long BASE_NS = Backoff.DEFAULT_BASE_NS;
    private static final long CAP_NS = Backoff.DEFAULT_CAP_NS;
    private static final int DRAWS = 10_000;

    @Test
    void theCeilingDoublesWithEachFailedAttemptUpToTheCap()
    {
        final Backoff backoff = new Backoff(BASE_NS, CAP_NS, 1);

        assertEquals(TimeUnit.MILLISECONDS.toNanos(100), backoff.ceilingNs(0));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(200), backoff.ceilingNs(1));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(400), backoff.ceilingNs(2));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(3200), backoff.ceilingNs(5));
        assertEquals(CAP_NS, backoff.ceilingNs(6));
        assertEquals(CAP_NS, backoff.ceilingNs(63));
        assertEquals(CAP_NS, backoff.ceilingNs(Integer.MAX_VALUE));
        for (int attempts = 1; attempts < 100; attempts++)
        {
            assertTrue(backoff.ceilingNs(attempts) >= backoff.ceilingNs(attempts - 1), "attempt " + attempts);
        }
    }

    @Test
    void delaysAreFullJitterWithinTheCeiling()
    {
        final Backoff backoff = new Backoff(BASE_NS, CAP_NS, 2);
        for (final int attempts : new int[]{ 0, 1, 3, 10, 1000 })
        {
            final long ceilingNs = backoff.ceilingNs(attempts);
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            double sum = 0;
            for (int i = 0; i < DRAWS; i++)
            {
                final long delayNs = backoff.delayNs(attempts);
                assertTrue(delayNs >= 0 && delayNs <= ceilingNs, attempts + " attempts: " + delayNs);
                min = Math.min(min, delayNs);
                max = Math.max(max, delayNs);
                sum += delayNs;
            }
            assertTrue(min < ceilingNs / 20, "reaches near 0: " + min);
            assertTrue(max > ceilingNs - ceilingNs / 20, "reaches near the ceiling: " + max);
            assertEquals(ceilingNs / 2.0, sum / DRAWS, ceilingNs * 0.03, "uniform: mean near half the ceiling");
        }
    }

    @Test
    void theSameSeedGivesTheSameDelays()
    {
        assertArrayEquals(delays(new Backoff(BASE_NS, CAP_NS, 7)), delays(new Backoff(BASE_NS, CAP_NS, 7)));
        assertFalse(Arrays.equals(delays(new Backoff(BASE_NS, CAP_NS, 7)), delays(new Backoff(BASE_NS, CAP_NS, 8))));
    }

    @Test
    void rejectsABaseThatIsNotPositiveOrACapBelowIt()
    {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(0, CAP_NS, 1));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(BASE_NS, BASE_NS - 1, 1));
    }

    private static long[] delays(final Backoff backoff)
    {
        final long[] delays = new long[64];
        for (int i = 0; i < delays.length; i++)
        {
            delays[i] = backoff.delayNs(i % 8);
        }
        return delays;
    }
}
