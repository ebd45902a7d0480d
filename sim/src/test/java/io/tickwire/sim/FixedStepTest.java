package io.tickwire.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FixedStepTest
{
    private static final long PERIOD_NS = 33_333_333L;

    @Test
    void runsOneTickPerPeriodOnTheGrid()
    {
        final FixedStep step = new FixedStep(PERIOD_NS, 5, 1_000);
        assertEquals(1, step.claimDueTicks(1_000));
        assertEquals(0, step.claimDueTicks(1_000 + PERIOD_NS - 1));
        assertEquals(1, step.claimDueTicks(1_000 + PERIOD_NS + 500));
        assertEquals(500, step.lastLatenessNs());
        assertEquals(1, step.claimDueTicks(1_000 + 2 * PERIOD_NS));
        assertEquals(3, step.tickCount());
        assertEquals(0, step.catchUpTicks());
        assertEquals(0, step.overrunTicks());
    }

    @Test
    void catchesUpAfterAShortStall()
    {
        final FixedStep step = new FixedStep(PERIOD_NS, 5, 0);
        assertEquals(1, step.claimDueTicks(0));
        assertEquals(3, step.claimDueTicks(3 * PERIOD_NS + 10));
        assertEquals(2, step.catchUpTicks());
        assertEquals(0, step.claimDueTicks(3 * PERIOD_NS + 20));
        assertEquals(1, step.claimDueTicks(4 * PERIOD_NS));
    }

    @Test
    void boundsCatchUpAndCountsSkippedTicksAfterALongStall()
    {
        final FixedStep step = new FixedStep(PERIOD_NS, 5, 0);
        assertEquals(1, step.claimDueTicks(0));

        final long stallEndNs = 100 * PERIOD_NS + 7;
        assertEquals(5, step.claimDueTicks(stallEndNs));
        assertEquals(100 - 5, step.overrunTicks());
        assertEquals(0, step.claimDueTicks(stallEndNs + PERIOD_NS - 1));
        assertEquals(1, step.claimDueTicks(stallEndNs + PERIOD_NS));
        assertEquals(7, step.tickCount());
    }
}
