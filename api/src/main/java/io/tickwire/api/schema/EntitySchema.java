package io.tickwire.api.schema;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A game's entity schema: the table of fields every entity carries, in wire order. The snapshot codec is generic
 * over it; the welcome message sends it so a generic client can decode any game. Immutable and thread safe.
 */
public final class EntitySchema
{
    /** Most fields a schema may have: a delta's change mask is one 32-bit set. */
    public static final int MAX_FIELDS = 32;

    private final FieldDef[] fields;
    private final int[] mins;
    private final int[] maxs;
    private final int[] predictors;
    private final int positionXField;
    private final int positionYField;

    public EntitySchema(final List<FieldDef> fields)
    {
        if (fields.isEmpty() || fields.size() > MAX_FIELDS)
        {
            throw new IllegalArgumentException("a schema has 1.." + MAX_FIELDS + " fields: " + fields.size());
        }

        this.fields = fields.toArray(new FieldDef[0]);
        mins = new int[this.fields.length];
        maxs = new int[this.fields.length];
        predictors = new int[this.fields.length];
        final Set<String> names = new HashSet<>();
        int positionX = -1;
        int positionY = -1;
        for (int i = 0; i < this.fields.length; i++)
        {
            final FieldDef field = this.fields[i];
            if (!field.type().isNumeric())
            {
                throw new IllegalArgumentException("entity field " + field.name() + " must be numeric");
            }
            if (!names.add(field.name()))
            {
                throw new IllegalArgumentException("duplicate field name: " + field.name());
            }
            if (field.predictor() != FieldDef.NO_PREDICTOR &&
                (field.predictor() < 0 || field.predictor() >= this.fields.length || field.predictor() == i))
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
            mins[i] = field.min();
            maxs[i] = field.max();
            predictors[i] = field.predictor();
        }
        if ((positionX < 0) != (positionY < 0))
        {
            throw new IllegalArgumentException("a schema has both position roles or neither");
        }
        positionXField = positionX;
        positionYField = positionY;
    }

    public int fieldCount()
    {
        return fields.length;
    }

    public FieldDef field(final int index)
    {
        return fields[index];
    }

    public List<FieldDef> fields()
    {
        return List.of(fields);
    }

    /**
     * @return the index of the field named {@code name}, or -1.
     */
    public int indexOf(final String name)
    {
        for (int i = 0; i < fields.length; i++)
        {
            if (fields[i].name().equals(name))
            {
                return i;
            }
        }
        return -1;
    }

    public int min(final int field)
    {
        return mins[field];
    }

    public int max(final int field)
    {
        return maxs[field];
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

    public boolean equals(final Object other)
    {
        return other instanceof EntitySchema && Arrays.equals(fields, ((EntitySchema)other).fields);
    }

    public int hashCode()
    {
        return Arrays.hashCode(fields);
    }

    public String toString()
    {
        return "EntitySchema" + List.of(fields);
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
