package io.tickwire.bots;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomWalkTest
{
    private static final int STEPS = 100_000;

    @Test
    void sameSeedAndBotWalkTheSamePath()
    {
        assertArrayEquals(path(new RandomWalk(1, 5)), path(new RandomWalk(1, 5)));
    }

    @Test
    void otherBotsAndOtherSeedsWalkOtherPaths()
    {
        final int[] reference = path(new RandomWalk(1, 5));
        assertFalse(Arrays.equals(reference, path(new RandomWalk(1, 6))));
        assertFalse(Arrays.equals(reference, path(new RandomWalk(2, 5))));
    }

    @Test
    void movesAreFullSpeedUnitVectorsWithinTheWireRange()
    {
        final RandomWalk walk = new RandomWalk(3, 0);
        for (int i = 0; i < STEPS; i++)
        {
            walk.step(null, 0);
            final int x = walk.moveX();
            final int y = walk.moveY();
            assertTrue(Math.abs(x) <= BotScript.MAX_MOVE, "x " + x);
            assertTrue(Math.abs(y) <= BotScript.MAX_MOVE, "y " + y);
            assertEquals(BotScript.MAX_MOVE, Math.hypot(x, y), 1.0);
        }
    }

    @Test
    void turnsWithTheReferenceChancePerInput()
    {
        final RandomWalk walk = new RandomWalk(4, 0);
        int turns = 0;
        int previousX = walk.moveX();
        int previousY = walk.moveY();
        for (int i = 0; i < STEPS; i++)
        {
            walk.step(null, 0);
            turns += walk.moveX() != previousX || walk.moveY() != previousY ? 1 : 0;
            previousX = walk.moveX();
            previousY = walk.moveY();
        }

        final double expected = STEPS * RandomWalk.TURN_CHANCE;
        assertEquals(expected, turns, expected * 0.1);
    }

    private static int[] path(final RandomWalk walk)
    {
        final int[] moves = new int[2 * 1000];
        for (int i = 0; i < moves.length; i += 2)
        {
            walk.step(null, 0);
            moves[i] = walk.moveX();
            moves[i + 1] = walk.moveY();
        }
        return moves;
    }
}
