package io.tickwire.api.schema;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A table of numeric fields in wire order, with unique names: what an entity schema and an input schema have in
 * common. Immutable and thread safe.
 */
public abstract sealed class FieldTable permits EntitySchema, InputSchema
{
    private final FieldDef[] fields;
    private final int[] mins;
    private final int[] maxs;

    /**
     * @throws IllegalArgumentException when there are fewer than {@code minFields} or more than {@code maxFields}
     *                                  fields, a field is not numeric, or two share a name.
     */
    FieldTable(final String kind, final List<FieldDef> fields, final int minFields, final int maxFields)
    {
        if (fields.size() < minFields || fields.size() > maxFields)
        {
            throw new IllegalArgumentException(
                "an " + kind + " schema has " + minFields + ".." + maxFields + " fields: " + fields.size());
        }
        this.fields = fields.toArray(new FieldDef[0]);
        mins = new int[this.fields.length];
        maxs = new int[this.fields.length];
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < this.fields.length; i++)
        {
            final FieldDef field = this.fields[i];
            if (!field.type().isNumeric())
            {
                throw new IllegalArgumentException(kind + " field " + field.name() + " must be numeric");
            }
            if (!names.add(field.name()))
            {
                throw new IllegalArgumentException("duplicate field name: " + field.name());
            }
            mins[i] = field.min();
            maxs[i] = field.max();
        }
    }

    public final int fieldCount()
    {
        return fields.length;
    }

    public final FieldDef field(final int index)
    {
        return fields[index];
    }

    public final List<FieldDef> fields()
    {
        return List.of(fields);
    }

    public final int min(final int field)
    {
        return mins[field];
    }

    public final int max(final int field)
    {
        return maxs[field];
    }

    /**
     * @return the index of the field named {@code name}, or -1.
     */
    public final int indexOf(final String name)
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

    public final boolean equals(final Object other)
    {
        return other != null && other.getClass() == getClass() && Arrays.equals(fields, ((FieldTable)other).fields);
    }

    public final int hashCode()
    {
        return Arrays.hashCode(fields);
    }

    public final String toString()
    {
        return getClass().getSimpleName() + List.of(fields);
    }
}
