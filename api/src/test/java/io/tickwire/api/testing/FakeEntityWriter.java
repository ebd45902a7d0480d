package io.tickwire.api.testing;

import io.tickwire.api.EntityWriter;
import io.tickwire.api.schema.EntitySchema;

import java.util.Arrays;

/**
 * A capture as the server checks it: ids ascend, at most the type's maximum of entities, every value within its
 * field's range and every field of every row set. Readable afterwards by row or by entity id.
 */
public final class FakeEntityWriter implements EntityWriter
{
    private final EntitySchema schema;
    private final int maxEntities;
    private final long tick;
    private int[] ids = new int[16];
    private int[] values;
    private long[] setMasks = new long[16];
    private int count;

    public FakeEntityWriter(final EntitySchema schema, final int maxEntities, final long tick)
    {
        this.schema = schema;
        this.maxEntities = maxEntities;
        this.tick = tick;
        values = new int[ids.length * schema.fieldCount()];
    }

    public int add(final int entityId)
    {
        if (entityId < 0 || (count > 0 && entityId <= ids[count - 1]))
        {
            throw new IllegalStateException("entity ids must ascend: " + entityId + " after " + lastId());
        }
        if (count == maxEntities)
        {
            throw new IllegalStateException("more than " + maxEntities + " entities");
        }
        if (count == ids.length)
        {
            ids = Arrays.copyOf(ids, count * 2);
            setMasks = Arrays.copyOf(setMasks, count * 2);
            values = Arrays.copyOf(values, count * 2 * schema.fieldCount());
        }
        ids[count] = entityId;
        setMasks[count] = 0;
        return count++;
    }

    public void set(final int row, final int field, final int value)
    {
        if (row < 0 || row >= count || field < 0 || field >= schema.fieldCount())
        {
            throw new IllegalStateException("no row " + row + " or field " + field);
        }
        if (value < schema.min(field) || value > schema.max(field))
        {
            throw new IllegalStateException("entity " + ids[row] + " field " + schema.field(field).name() + " = " +
                value + " outside " + schema.min(field) + ".." + schema.max(field));
        }
        values[row * schema.fieldCount() + field] = value;
        setMasks[row] |= 1L << field;
    }

    /**
     * @throws IllegalStateException when a row lacks a field: the contract wants one value per field.
     */
    public void requireComplete()
    {
        final long all = (1L << schema.fieldCount()) - 1;
        for (int row = 0; row < count; row++)
        {
            if (setMasks[row] != all)
            {
                throw new IllegalStateException("entity " + ids[row] + " has unset fields");
            }
        }
    }

    /**
     * @return the tick this capture was taken at.
     */
    public long tick()
    {
        return tick;
    }

    public int count()
    {
        return count;
    }

    public int id(final int row)
    {
        return ids[row];
    }

    public int value(final int row, final int field)
    {
        return values[row * schema.fieldCount() + field];
    }

    /**
     * @return the row of {@code entityId}, or -1.
     */
    public int rowOf(final int entityId)
    {
        final int row = Arrays.binarySearch(ids, 0, count, entityId);
        return row < 0 ? -1 : row;
    }

    public boolean contains(final int entityId)
    {
        return rowOf(entityId) >= 0;
    }

    /**
     * @return field {@code field} of entity {@code entityId}.
     * @throws IllegalArgumentException when the capture does not hold the entity.
     */
    public int get(final int entityId, final int field)
    {
        final int row = rowOf(entityId);
        if (row < 0)
        {
            throw new IllegalArgumentException("no entity " + entityId + " at tick " + tick);
        }
        return value(row, field);
    }

    /**
     * How an entity moved from {@code before} to this capture, through the schema's position roles and their
     * predictors: {@code {x - x0, y - y0, vx, vy}} (vx, vy 0 when the position field has no predictor).
     *
     * @throws IllegalArgumentException when the schema has no position or a capture lacks the entity.
     */
    public int[] motion(final FakeEntityWriter before, final int entityId)
    {
        if (!schema.hasPosition())
        {
            throw new IllegalArgumentException("entities have no position");
        }
        final int[] motion = new int[4];
        final int[] positionFields = {schema.positionXField(), schema.positionYField()};
        for (int axis = 0; axis < 2; axis++)
        {
            final int field = positionFields[axis];
            final int predictor = schema.predictor(field);
            motion[axis] = get(entityId, field) - before.get(entityId, field);
            motion[2 + axis] = predictor < 0 ? 0 : get(entityId, predictor);
        }
        return motion;
    }

    /**
     * @return every id followed by its values, row after row: equal arrays mean equal captures.
     */
    public int[] toArray()
    {
        final int stride = schema.fieldCount() + 1;
        final int[] all = new int[count * stride];
        for (int row = 0; row < count; row++)
        {
            all[row * stride] = ids[row];
            System.arraycopy(values, row * schema.fieldCount(), all, row * stride + 1, schema.fieldCount());
        }
        return all;
    }

    private String lastId()
    {
        return count == 0 ? "none" : Integer.toString(ids[count - 1]);
    }
}
