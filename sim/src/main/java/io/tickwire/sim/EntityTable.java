package io.tickwire.sim;

import io.tickwire.api.EntityWriter;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.codec.ViewChecksum;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The quantized state of a room's entities at one tick: ids in ascending order and, row by row, one value per
 * schema field. Written by {@link io.tickwire.api.Game#capture} and read by the shard, both on the room's shard
 * thread. Grows to the largest entity count seen, up to its limit, then allocates nothing.
 */
public final class EntityTable implements EntityWriter
{
    private final EntitySchema schema;
    private final int fieldCount;
    private final int maxEntities;
    private int[] ids;
    private int[] values;
    private int count;

    public EntityTable(final EntitySchema schema, final int maxEntities)
    {
        this.schema = schema;
        this.fieldCount = schema.fieldCount();
        this.maxEntities = maxEntities;
        final int initial = Math.min(maxEntities, 64);
        ids = new int[initial];
        values = new int[initial * fieldCount];
    }

    public void clear()
    {
        count = 0;
    }

    /**
     * Appends an entity; ids must ascend. Set its values with {@link #set} before the next add.
     *
     * @return the entity's row.
     * @throws IllegalStateException when ids do not ascend or the table is at its limit.
     */
    public int add(final int id)
    {
        if (count > 0 && id <= ids[count - 1] || id < 0)
        {
            throw new IllegalStateException("entity ids must ascend and be non-negative");
        }
        if (count == ids.length)
        {
            if (count == maxEntities)
            {
                throw new IllegalStateException("entity table full");
            }
            final int capacity = Math.min(maxEntities, count * 2);
            ids = Arrays.copyOf(ids, capacity);
            values = Arrays.copyOf(values, capacity * fieldCount);
        }
        ids[count] = id;
        return count++;
    }

    /**
     * Sets one field of the entity at {@code row}.
     *
     * @throws IllegalStateException when the value is outside the field's range in the schema.
     */
    public void set(final int row, final int field, final int value)
    {
        if (value < schema.min(field) || value > schema.max(field))
        {
            throw new IllegalStateException("value out of the schema's range for field " + field);
        }
        values[row * fieldCount + field] = value;
    }

    public int count()
    {
        return count;
    }

    /**
     * @return the row of entity {@code id}, or a negative number when it is not in the table.
     */
    public int indexOf(final int id)
    {
        return Arrays.binarySearch(ids, 0, count, id);
    }

    public EntitySchema schema()
    {
        return schema;
    }

    public int id(final int row)
    {
        return ids[row];
    }

    public int value(final int row, final int field)
    {
        return values[row * fieldCount + field];
    }

    /**
     * CRC32C of the table: its count, its ids and every value, as big-endian ints in that order. Allocates nothing.
     *
     * @param crc     reset and used.
     * @param scratch a heap buffer of at least 4 bytes, cleared and used to feed {@code crc} in chunks.
     * @return the checksum, 0..2^32 - 1.
     */
    public long crc32c(final CRC32C crc, final ByteBuffer scratch)
    {
        crc.reset();
        scratch.clear();
        putChecked(crc, scratch, count);
        for (int i = 0; i < count; i++)
        {
            putChecked(crc, scratch, ids[i]);
        }
        for (int i = 0, n = count * fieldCount; i < n; i++)
        {
            putChecked(crc, scratch, values[i]);
        }
        scratch.flip();
        crc.update(scratch);
        return crc.getValue();
    }

    /**
     * @return the {@link ViewChecksum} of the whole table (every entity, in id order), as a client that saw everything
     * would compute it.
     */
    public int viewChecksum(final ViewChecksum checksum)
    {
        checksum.reset();
        for (int row = 0; row < count; row++)
        {
            checksum.addEntity(ids[row], values, row * fieldCount, fieldCount);
        }
        return checksum.value();
    }

    private static void putChecked(final CRC32C crc, final ByteBuffer scratch, final int value)
    {
        if (scratch.remaining() < Integer.BYTES)
        {
            scratch.flip();
            crc.update(scratch);
            scratch.clear();
        }
        scratch.putInt(value);
    }

    /**
     * @return the backing array of values, row by row; valid until the next {@link #add}.
     */
    int[] values()
    {
        return values;
    }
}
