package io.tickwire.bots;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChurnTest
{
    private static final long CYCLE_NS = BotGroup.CYCLE_NS;
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);

    @Test
    void dropsTheFractionOfTheBotsPerSecondOnAverage()
    {
        final Churn churn = new Churn(0.1, 500, 1, 0);

        long drops = 0;
        for (long nowNs = CYCLE_NS; nowNs <= 10 * SECOND_NS; nowNs += CYCLE_NS)
        {
            drops += churn.dropsDue(nowNs);
        }

        assertEquals(0.1 * 500 * 10, drops, 1);
    }

    @Test
    void noChurnNeverDrops()
    {
        final Churn churn = new Churn(0, 500, 1, 0);
        for (long nowNs = CYCLE_NS; nowNs <= SECOND_NS; nowNs += CYCLE_NS)
        {
            assertEquals(0, churn.dropsDue(nowNs));
        }
    }

    @Test
    void aLongGapDropsAtMostTheCapPerCycle()
    {
        final Churn churn = new Churn(1.0, 50_000, 1, 0);

        assertEquals(Churn.MAX_DROPS_PER_CYCLE, churn.dropsDue(60 * SECOND_NS));
        assertTrue(churn.dropsDue(60 * SECOND_NS + CYCLE_NS) <= Churn.MAX_DROPS_PER_CYCLE);
        assertEquals(0, churn.dropsDue(0), "a clock going back adds nothing");
    }

    @Test
    void picksOnlyEligibleBotsSpreadOverAllOfThem()
    {
        final int bots = 20;
        final Churn churn = new Churn(0.5, bots, 3, 0);
        final int[] picked = new int[bots];

        for (int i = 0; i < 10_000; i++)
        {
            final int index = churn.pick(slot -> slot % 2 == 0);
            assertTrue(index >= 0 && index < bots && index % 2 == 0, "picked " + index);
            picked[index]++;
        }

        for (int slot = 0; slot < bots; slot += 2)
        {
            assertEquals(10_000 / 10, picked[slot], 150, "slot " + slot);
        }
    }

    @Test
    void givesUpAfterABoundedNumberOfProbes()
    {
        final Churn churn = new Churn(0.5, 20, 3, 0);
        final int[] probes = new int[1];

        assertEquals(-1, churn.pick(slot ->
        {
            probes[0]++;
            return false;
        }));
        assertEquals(Churn.MAX_PROBES, probes[0]);
        assertEquals(-1, new Churn(0.5, 0, 3, 0).pick(slot -> true), "no bots, no pick");
    }

    @Test
    void theSameSeedPicksTheSameBots()
    {
        assertArrayEquals(picks(new Churn(0.2, 1000, 9, 0)), picks(new Churn(0.2, 1000, 9, 0)));
        assertTrue(!Arrays.equals(picks(new Churn(0.2, 1000, 9, 0)), picks(new Churn(0.2, 1000, 10, 0))));
    }

    private static int[] picks(final Churn churn)
    {
        final int[] picks = new int[100];
        for (int i = 0; i < picks.length; i++)
        {
            picks[i] = churn.pick(slot -> true);
        }
        return picks;
    }
}
