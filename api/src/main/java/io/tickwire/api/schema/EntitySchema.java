package io.tickwire.api.schema;

import java.util.List;

/**
 * A game's entity schema: the table of fields every entity carries, in wire order. The snapshot codec is generic
 * over it; the welcome message sends it so a generic client can decode any game. Immutable and thread safe.
 */
public final class EntitySchema extends FieldTable
{
    /** Most fields a schema may have: a delta's change mask is one 32-bit set. */
    public static final int MAX_FIELDS = 32;

    private final int[] predictors;
    private final int positionXField;
    private final int positionYField;

    public EntitySchema(final List<FieldDef> fields)
    {
        super("entity", fields, 1, MAX_FIELDS);
        final int count = fields.size();
        predictors = new int[count];
        int positionX = -1;
        int positionY = -1;
        for (int i = 0; i < count; i++)
        {
            final FieldDef field = fields.get(i);
            if (field.predictor() != FieldDef.NO_PREDICTOR &&
                (field.predictor() < 0 || field.predictor() >= count || field.predictor() == i))
            {
                throw new IllegalArgumentException("field " + field.name() + ": bad predictor " + field.predictor());
            }
            if (field.role() == FieldRole.POSITION_X)
            {
                positionX = requireSingle(positionX, i, field);
            }
            else if (field.role() == FieldRole.POSITION_Y)
            {
                positionY = requireSingle(positionY, i, field);
            }
            predictors[i] = field.predictor();
        }
        if ((positionX < 0) != (positionY < 0))
        {
            throw new IllegalArgumentException("a schema has both position roles or neither");
        }
        positionXField = positionX;
        positionYField = positionY;
    }

    /**
     * @return the index of the field predicting {@code field}, or {@link FieldDef#NO_PREDICTOR}.
     */
    public int predictor(final int field)
    {
        return predictors[field];
    }

    /**
     * @return the index of the x position field, or -1 when entities have no position.
     */
    public int positionXField()
    {
        return positionXField;
    }

    /**
     * @return the index of the y position field, or -1 when entities have no position.
     */
    public int positionYField()
    {
        return positionYField;
    }

    public boolean hasPosition()
    {
        return positionXField >= 0;
    }

    private static int requireSingle(final int existing, final int index, final FieldDef field)
    {
        if (existing >= 0)
        {
            throw new IllegalArgumentException("two fields with role " + field.role());
        }
        return index;
    }
}
