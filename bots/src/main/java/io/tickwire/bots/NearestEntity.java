package io.tickwire.bots;

import io.tickwire.api.schema.EntitySchema;
import io.tickwire.codec.SnapshotDecoder;

/**
 * Finds the entity of a bot's view nearest to the bot's own, by the fields the schema gives the position roles: one
 * pass over the view. Of entities at the same distance the first in the view, the lowest id, wins. Finds nothing when
 * the schema has no position, the bot's own entity is not in view, or no other entity is.
 * <p>
 * Owned by the bot's event loop; reused for every search, allocation free.
 */
final class NearestEntity
{
    /** {@link #targetId()} when the last search found nothing. */
    static final int NO_TARGET = -1;

    private int targetId = NO_TARGET;
    private long dx;
    private long dy;
    private double distanceSquared;

    /**
     * @param view        the bot's decoder, holding its current view.
     * @param ownEntityId the bot's own entity.
     * @return whether an entity was found; then {@link #targetId()}, {@link #dx()}, {@link #dy()} describe it.
     */
    boolean find(final SnapshotDecoder view, final int ownEntityId)
    {
        targetId = NO_TARGET;
        dx = 0;
        dy = 0;
        distanceSquared = Double.POSITIVE_INFINITY;
        final EntitySchema schema = view.schema();
        final int own = view.indexOf(ownEntityId);
        if (!schema.hasPosition() || own < 0)
        {
            return false;
        }

        final int xField = schema.positionXField();
        final int yField = schema.positionYField();
        final long ownX = view.value(own, xField);
        final long ownY = view.value(own, yField);
        for (int i = 0, count = view.entityCount(); i < count; i++)
        {
            if (i != own)
            {
                final long candidateDx = view.value(i, xField) - ownX;
                final long candidateDy = view.value(i, yField) - ownY;
                final double squared = (double)candidateDx * candidateDx + (double)candidateDy * candidateDy;
                if (squared < distanceSquared)
                {
                    distanceSquared = squared;
                    dx = candidateDx;
                    dy = candidateDy;
                    targetId = view.entityId(i);
                }
            }
        }
        return targetId != NO_TARGET;
    }

    /**
     * @return the entity found by the last search, or {@link #NO_TARGET}.
     */
    int targetId()
    {
        return targetId;
    }

    /**
     * @return the target's x minus the bot's, in the position field's steps.
     */
    long dx()
    {
        return dx;
    }

    /**
     * @return the target's y minus the bot's, in the position field's steps.
     */
    long dy()
    {
        return dy;
    }

    /**
     * @return the squared distance to the target, in steps squared; infinite when nothing was found.
     */
    double distanceSquared()
    {
        return distanceSquared;
    }
}
