package io.tickwire.bots;

import io.tickwire.codec.SnapshotDecoder;

import java.util.SplittableRandom;

/**
 * The script of {@link Behaviour#RANDOM_WALK}, the movement of the reference workload: keep a heading, and before
 * each input pick a new random heading with probability {@link #TURN_CHANCE}. The move axes are the heading's unit
 * vector scaled to {@link BotScript#MAX_MOVE}. Deterministic for a given seed and bot index.
 * <p>
 * Not thread safe: owned by the bot's event loop.
 */
final class RandomWalk implements BotScript
{
    /** Probability per input of picking a new heading; the arena's NPCs turn with the same chance per tick. */
    static final double TURN_CHANCE = 0.02;

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final SplittableRandom random;
    private int moveX;
    private int moveY;

    /**
     * @param seed     seed of the whole swarm.
     * @param botIndex index of the bot in the swarm, mixed into the seed so every bot walks differently.
     */
    RandomWalk(final long seed, final int botIndex)
    {
        random = new SplittableRandom(seed * GOLDEN_GAMMA + botIndex);
        turn();
    }

    /**
     * Advances the walk by one input: turns with probability {@link #TURN_CHANCE}. The view plays no part.
     */
    public void step(final SnapshotDecoder view, final int ownEntityId)
    {
        if (random.nextDouble() < TURN_CHANCE)
        {
            turn();
        }
    }

    /**
     * @return the x move axis for the current heading, in {@code -MAX_MOVE..MAX_MOVE}.
     */
    public int moveX()
    {
        return moveX;
    }

    /**
     * @return the y move axis for the current heading, in {@code -MAX_MOVE..MAX_MOVE}.
     */
    public int moveY()
    {
        return moveY;
    }

    private void turn()
    {
        final double heading = random.nextDouble() * 2 * Math.PI;
        moveX = (int)Math.round(BotScript.MAX_MOVE * StrictMath.cos(heading));
        moveY = (int)Math.round(BotScript.MAX_MOVE * StrictMath.sin(heading));
    }
}
