package io.tickwire.bots;

import io.tickwire.codec.SnapshotDecoder;

/**
 * The script of {@link Behaviour#CHASE}: steer toward the nearest other entity in the bot's view, as
 * {@link NearestEntity} finds it. The move is the unit vector from the bot's own entity toward the target, scaled to
 * {@link BotScript#MAX_MOVE}. The bot stands still when there is no target, and when the target is exactly where the
 * bot is. One pass over the view per input.
 * <p>
 * Owned by the bot's event loop.
 */
final class Chase implements BotScript
{
    /** {@link #targetId()} when the last step found no target. */
    static final int NO_TARGET = NearestEntity.NO_TARGET;

    private final NearestEntity nearest = new NearestEntity();
    private int moveX;
    private int moveY;

    public void step(final SnapshotDecoder view, final int ownEntityId)
    {
        moveX = 0;
        moveY = 0;
        if (nearest.find(view, ownEntityId) && nearest.distanceSquared() > 0)
        {
            final double distance = Math.sqrt(nearest.distanceSquared());
            moveX = (int)Math.round(BotScript.MAX_MOVE * nearest.dx() / distance);
            moveY = (int)Math.round(BotScript.MAX_MOVE * nearest.dy() / distance);
        }
    }

    public int moveX()
    {
        return moveX;
    }

    public int moveY()
    {
        return moveY;
    }

    /**
     * @return the entity the last step steered toward, or {@link #NO_TARGET}.
     */
    int targetId()
    {
        return nearest.targetId();
    }
}
