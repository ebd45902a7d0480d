package io.tickwire.bots;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bot's inputs keep the phase it started with: a loop that fell behind skips the periods it missed instead of
 * sending them in a burst, and resumes on the same grid rather than at the end of the stall; and the swarm's bots
 * start their input clocks spread evenly over the period, not all at their WELCOME.
 */
class InputPhaseTest
{
    private static final long PERIOD_NS = 33_333_333;

    @Test
    void aLoopThatFellBehindSkipsThePeriodsItMissedAndKeepsItsPhase()
    {
        assertEquals(1_000 + PERIOD_NS, BotSession.nextAfter(1_000, PERIOD_NS, 1_500), "on time: a period later");
        final long stalledUntilNs = 1_000 + 7 * PERIOD_NS + 12_345;
        final long nextNs = BotSession.nextAfter(1_000, PERIOD_NS, stalledUntilNs);
        assertEquals(1_000 + 8 * PERIOD_NS, nextNs, "the first time after the stall on the bot's own grid");
        assertEquals(1_000 + 8 * PERIOD_NS, BotSession.nextAfter(1_000, PERIOD_NS, 1_000 + 7 * PERIOD_NS),
            "due exactly now: the next one");
    }

    @Test
    void botsStartTheirInputClocksSpreadEvenlyOverThePeriod()
    {
        final int bots = 1_000;
        final int bins = 10;
        final int[] perBin = new int[bins];
        for (int index = 0; index < bots; index++)
        {
            final long phaseNs = BotSession.inputPhaseNs(index, PERIOD_NS);
            assertTrue(phaseNs >= 0 && phaseNs < PERIOD_NS, "bot " + index + ": " + phaseNs);
            perBin[(int)(phaseNs * bins / PERIOD_NS)]++;
        }
        for (int bin = 0; bin < bins; bin++)
        {
            assertTrue(Math.abs(perBin[bin] - bots / bins) <= 5, "bin " + bin + ": " + perBin[bin] + " bots");
        }
    }
}
