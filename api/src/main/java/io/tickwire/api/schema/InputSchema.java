package io.tickwire.api.schema;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A game's input schema: the typed, ranged fields one INPUT carries, in wire order. The welcome sends it; the server
 * checks every value of every input against its field's range before the game sees it. Fields are numeric, with no
 * predictor and no role: an aim angle is a {@code FIXED} or {@code INT} field, buttons a {@code UINT} bit set.
 * <p>
 * Immutable and thread safe.
 */
public final class InputSchema
{
    /** Most fields an input may carry. */
    public static final int MAX_FIELDS = 32;

    /** A schema with no fields: inputs then carry only their sequence and view tick. */
    public static final InputSchema EMPTY = new InputSchema(List.of());

    private final FieldDef[] fields;
    private final int[] mins;
    private final int[] maxs;

    public InputSchema(final List<FieldDef> fields)
    {
        if (fields.size() > MAX_FIELDS)
        {
            throw new IllegalArgumentException("an input schema has 0.." + MAX_FIELDS + " fields: " + fields.size());
        }
        this.fields = fields.toArray(new FieldDef[0]);
        mins = new int[this.fields.length];
        maxs = new int[this.fields.length];
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < this.fields.length; i++)
        {
            final FieldDef field = this.fields[i];
            if (!field.type().isNumeric() || field.predictor() != FieldDef.NO_PREDICTOR ||
                field.role() != FieldRole.NONE)
            {
                throw new IllegalArgumentException(
                    "input field " + field.name() + " must be numeric, with no predictor and no role");
            }
            if (!names.add(field.name()))
            {
                throw new IllegalArgumentException("duplicate field name: " + field.name());
            }
            mins[i] = field.min();
            maxs[i] = field.max();
        }
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

    public int min(final int field)
    {
        return mins[field];
    }

    public int max(final int field)
    {
        return maxs[field];
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

    public boolean equals(final Object other)
    {
        return other instanceof InputSchema && Arrays.equals(fields, ((InputSchema)other).fields);
    }

    public int hashCode()
    {
        return Arrays.hashCode(fields);
    }

    public String toString()
    {
        return "InputSchema" + List.of(fields);
    }
}
