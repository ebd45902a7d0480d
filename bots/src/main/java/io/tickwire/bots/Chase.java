package io.tickwire.bots;

import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.SnapshotDecoder;
import io.tickwire.api.schema.EntitySchema;

/**
 * The script of {@link Behaviour#CHASE}: steer toward the nearest other entity in the bot's view. Positions are read
 * from the fields the schema gives the position roles; the move is the unit vector from the bot's own entity toward
 * the target, scaled to {@link ClientMessageFlyweight#MAX_MOVE}. Of entities at the same distance the first in the
 * view, the lowest id, wins. The bot stands still when the schema has no position, its own entity is not in view,
 * or no other entity is; and when the target is exactly where the bot is. One pass over the view per input.
 * <p>
 * Owned by the bot's event loop.
 */
final class Chase implements BotScript
{
    /** {@link #targetId()} when the last step found no target. */
    static final int NO_TARGET = -1;

    private int moveX;
    private int moveY;
    private int targetId = NO_TARGET;

    public void step(final SnapshotDecoder view, final int ownEntityId)
    {
        moveX = 0;
        moveY = 0;
        targetId = NO_TARGET;
        final EntitySchema schema = view.schema();
        final int own = view.indexOf(ownEntityId);
        if (!schema.hasPosition() || own < 0)
        {
            return;
        }

        final int xField = schema.positionXField();
        final int yField = schema.positionYField();
        final long ownX = view.value(own, xField);
        final long ownY = view.value(own, yField);
        double nearestSquared = Double.POSITIVE_INFINITY;
        long nearestDx = 0;
        long nearestDy = 0;
        for (int i = 0, count = view.entityCount(); i < count; i++)
        {
            if (i != own)
            {
                final long dx = view.value(i, xField) - ownX;
                final long dy = view.value(i, yField) - ownY;
                final double squared = (double)dx * dx + (double)dy * dy;
                if (squared < nearestSquared)
                {
                    nearestSquared = squared;
                    nearestDx = dx;
                    nearestDy = dy;
                    targetId = view.entityId(i);
                }
            }
        }

        if (nearestSquared > 0 && nearestSquared != Double.POSITIVE_INFINITY)
        {
            final double distance = Math.sqrt(nearestSquared);
            moveX = (int)Math.round(ClientMessageFlyweight.MAX_MOVE * nearestDx / distance);
            moveY = (int)Math.round(ClientMessageFlyweight.MAX_MOVE * nearestDy / distance);
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
        return targetId;
    }
}
