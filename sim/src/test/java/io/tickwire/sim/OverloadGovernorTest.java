package io.tickwire.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The governor's levels: up one after {@value OverloadGovernor#RAISE_AFTER_CYCLES} saturated cycles in a row (by
 * duration or lateness), down one after {@value OverloadGovernor#LOWER_AFTER_CYCLES} relieved cycles with no
 * saturated one between, held in the band between the thresholds, bounded by 0 and
 * {@value OverloadGovernor#MAX_LEVEL}.
 */
class OverloadGovernorTest
{
    private static final long PERIOD_NS = 33_333_333L;
    private final OverloadGovernor governor = new OverloadGovernor(PERIOD_NS);

    @Test
    void saturationRaisesOneLevelPerRunAndReliefLowersSlowly()
    {
        cycles(2, PERIOD_NS, 0);
        assertEquals(0, governor.level(), "two saturated cycles are a blip");
        cycles(1, PERIOD_NS, 0);
        assertEquals(1, governor.level());
        cycles(3, PERIOD_NS / 10, PERIOD_NS * 9 / 10);
        assertEquals(1, governor.level(), "ticks late by less than a period are the scheduler's, not saturation");
        cycles(3, PERIOD_NS / 10, PERIOD_NS);
        assertEquals(2, governor.level(), "ticks a period late saturate");
        cycles(30, PERIOD_NS * 2, 0);
        assertEquals(OverloadGovernor.MAX_LEVEL, governor.level());

        cycles(100, PERIOD_NS * 7 / 10, 0);
        assertEquals(OverloadGovernor.MAX_LEVEL, governor.level(), "the band between the thresholds holds the level");
        cycles(2, PERIOD_NS, 0);
        cycles(1, PERIOD_NS * 7 / 10, 0);
        cycles(2, PERIOD_NS, 0);
        assertEquals(OverloadGovernor.MAX_LEVEL, governor.level(), "a band cycle breaks a saturated run");
        cycles(OverloadGovernor.LOWER_AFTER_CYCLES - 1, PERIOD_NS / 4, 0);
        assertEquals(OverloadGovernor.MAX_LEVEL, governor.level());
        cycles(1, PERIOD_NS / 4, 0);
        assertEquals(OverloadGovernor.MAX_LEVEL - 1, governor.level());
        cycles(OverloadGovernor.LOWER_AFTER_CYCLES - 1, PERIOD_NS / 4, 0);
        cycles(1, PERIOD_NS, 0);
        cycles(OverloadGovernor.LOWER_AFTER_CYCLES - 1, PERIOD_NS / 4, 0);
        assertEquals(OverloadGovernor.MAX_LEVEL - 1, governor.level(), "a saturated cycle restarts the relief");
        for (int i = 0; i < 10 * OverloadGovernor.LOWER_AFTER_CYCLES; i++)
        {
            cycles(1, PERIOD_NS / 4, 0);
            cycles(1, PERIOD_NS * 7 / 10, 0);
        }
        assertEquals(0, governor.level(), "band cycles among relieved ones do not stop the climb down");
    }

    private void cycles(final int count, final long cycleNs, final long latenessNs)
    {
        for (int i = 0; i < count; i++)
        {
            governor.onCycle(cycleNs, latenessNs);
        }
    }
}
