package io.tickwire.codec;

import io.tickwire.api.schema.EntitySchema;
import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * A client's side of snapshots: decodes each snapshot against the baseline it names, keeps the resulting view,
 * and checks the view's checksum. Every byte is checked: a malformed snapshot, an unknown baseline or a checksum
 * mismatch is reported and leaves the current view unchanged.
 * <p>
 * It keeps the snapshots the server may still use as baselines: the server deltas only against snapshots the
 * client acknowledged, and its baseline never goes back, so every snapshot older than the newest baseline used is
 * dropped. At most {@code maxRetained} snapshots are kept. Arrays grow to the largest view seen and are then
 * reused: decoding allocates nothing in steady state. Not thread safe.
 */
public final class SnapshotDecoder
{
    /** Outcome of {@link #decode}. */
    public enum Result
    {
        APPLIED,
        MALFORMED,
        STALE,
        UNKNOWN_BASELINE,
        TOO_MANY_ENTITIES,
        CHECKSUM_MISMATCH
    }

    private final EntitySchema schema;
    private final int fieldCount;
    private final int maxEntities;
    private final View[] retained;
    private final View[] free;
    private final SnapshotHeaderFlyweight header = new SnapshotHeaderFlyweight();
    private final VarInts.Reader reader = new VarInts.Reader();
    private final ViewChecksum checksum = new ViewChecksum();
    private final View empty;
    private int retainedCount;
    private int freeCount;
    private View current;
    private long checksumMismatches;
    private long fullSnapshots;
    private long deltaSnapshots;

    /**
     * @param maxRetained most snapshots kept as possible baselines; at least the server's history window in ticks
     *                    plus two.
     * @param maxEntities most entities a view may hold.
     */
    public SnapshotDecoder(final EntitySchema schema, final int maxRetained, final int maxEntities)
    {
        this.schema = schema;
        this.fieldCount = schema.fieldCount();
        this.maxEntities = maxEntities;
        this.retained = new View[maxRetained];
        this.free = new View[maxRetained + 1];
        this.empty = new View(fieldCount);
        this.current = empty;
    }

    /**
     * Decodes one snapshot message and, when it is valid, makes its view current.
     */
    public Result decode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < SnapshotHeaderFlyweight.LENGTH)
        {
            return Result.MALFORMED;
        }
        header.wrap(buffer, offset);
        if (header.type() != WireFormat.TYPE_SNAPSHOT || (header.flags() & ~SnapshotHeaderFlyweight.FLAG_CHECKSUM) != 0)
        {
            return Result.MALFORMED;
        }

        final int seq = header.snapshotSeq();
        if (seq == Sequence.NONE || (current != empty && !Sequence.isNewer(seq, current.seq)))
        {
            return Result.STALE;
        }

        final int baselineSeq = header.baselineSeq();
        final View baseline = baselineSeq == Sequence.NONE ? empty : findRetained(baselineSeq);
        if (baseline == null)
        {
            return Result.UNKNOWN_BASELINE;
        }

        final boolean withChecksum = header.hasChecksum();
        final int opsLength = length - SnapshotHeaderFlyweight.LENGTH -
            (withChecksum ? SnapshotHeaderFlyweight.CHECKSUM_LENGTH : 0);
        reader.wrap(buffer, offset + SnapshotHeaderFlyweight.LENGTH, opsLength);
        final View next = takeFree();
        next.seq = seq;
        next.tick = header.tick();
        next.lastInputSeq = header.lastInputSeq();
        final Result result = applyOps(baseline, next, header.opCount(), next.tick - baseline.tick);
        if (result != Result.APPLIED)
        {
            release(next);
            return result;
        }
        if (!reader.isValid() || reader.remaining() != 0)
        {
            release(next);
            return Result.MALFORMED;
        }

        checksum.reset();
        for (int i = 0; i < next.count; i++)
        {
            checksum.addEntity(next.ids[i], next.values, i * fieldCount, fieldCount);
        }
        if (withChecksum &&
            checksum.value() != buffer.getInt(offset + length - SnapshotHeaderFlyweight.CHECKSUM_LENGTH,
            WireFormat.BYTE_ORDER))
        {
            checksumMismatches++;
            release(next);
            return Result.CHECKSUM_MISMATCH;
        }

        if (baselineSeq == Sequence.NONE)
        {
            fullSnapshots++;
        }
        else
        {
            deltaSnapshots++;
            dropRetainedOlderThan(baselineSeq);
        }
        retain(next);
        current = next;
        return Result.APPLIED;
    }

    /**
     * @return the sequence of the current view, the client's ack; {@link Sequence#NONE} before the first.
     */
    public int ackSeq()
    {
        return current.seq;
    }

    public int tick()
    {
        return current.tick;
    }

    public int lastInputSeq()
    {
        return current.lastInputSeq;
    }

    public int entityCount()
    {
        return current.count;
    }

    public int entityId(final int index)
    {
        return current.ids[index];
    }

    public int value(final int index, final int field)
    {
        return current.values[index * fieldCount + field];
    }

    /**
     * @return the index of entity {@code id} in the current view, or a negative number when it is not in view.
     */
    public int indexOf(final int id)
    {
        return Arrays.binarySearch(current.ids, 0, current.count, id);
    }

    /**
     * @return the checksum of the current view, computed as the server does.
     */
    public int viewChecksum()
    {
        checksum.reset();
        for (int i = 0; i < current.count; i++)
        {
            checksum.addEntity(current.ids[i], current.values, i * fieldCount, fieldCount);
        }
        return checksum.value();
    }

    public long checksumMismatches()
    {
        return checksumMismatches;
    }

    public long fullSnapshots()
    {
        return fullSnapshots;
    }

    public long deltaSnapshots()
    {
        return deltaSnapshots;
    }

    /**
     * @return snapshots currently kept as possible baselines.
     */
    public int retainedCount()
    {
        return retainedCount;
    }

    public EntitySchema schema()
    {
        return schema;
    }

    private Result applyOps(final View baseline, final View next, final int opCount, final long deltaTicks)
    {
        int cursor = 0;
        long previousId = -1;
        for (int op = 0; op < opCount; op++)
        {
            final long key = reader.varLong();
            final long id = previousId + 1 + (key >>> 2);
            if (!reader.isValid() || id > Integer.MAX_VALUE)
            {
                return Result.MALFORMED;
            }
            previousId = id;

            while (cursor < baseline.count && baseline.ids[cursor] < id)
            {
                final Result carried = carryPredicted(baseline, cursor++, next, deltaTicks);
                if (carried != Result.APPLIED)
                {
                    return carried;
                }
            }
            final boolean inBaseline = cursor < baseline.count && baseline.ids[cursor] == id;

            switch ((int)(key & 3))
            {
                case SnapshotEncoder.OP_UPDATE:
                    if (!inBaseline || !readUpdate(baseline, cursor++, next, (int)id, deltaTicks, maxEntities))
                    {
                        return reader.isValid() && next.count >= maxEntities ?
                            Result.TOO_MANY_ENTITIES : Result.MALFORMED;
                    }
                    break;
                case SnapshotEncoder.OP_ENTER:
                    if (inBaseline || !readEnter(next, (int)id))
                    {
                        return next.count >= maxEntities ? Result.TOO_MANY_ENTITIES : Result.MALFORMED;
                    }
                    break;
                case SnapshotEncoder.OP_REMOVE:
                    if (!inBaseline)
                    {
                        return Result.MALFORMED;
                    }
                    cursor++;
                    break;
                default:
                    return Result.MALFORMED;
            }
        }

        while (cursor < baseline.count)
        {
            final Result carried = carryPredicted(baseline, cursor++, next, deltaTicks);
            if (carried != Result.APPLIED)
            {
                return carried;
            }
        }
        return Result.APPLIED;
    }

    /**
     * Carries a baseline entity the snapshot does not mention into the new view: every field equals its
     * prediction.
     */
    private Result carryPredicted(final View baseline, final int index, final View next, final long deltaTicks)
    {
        if (!next.append(baseline, index, maxEntities))
        {
            return Result.TOO_MANY_ENTITIES;
        }
        return predictRow(baseline, index, next, deltaTicks) ? Result.APPLIED : Result.MALFORMED;
    }

    /**
     * Replaces the values of the last row of {@code next}, a copy of baseline row {@code index}, by their
     * predictions.
     *
     * @return false when a prediction falls outside its field's range: the server never sends that.
     */
    private boolean predictRow(final View baseline, final int index, final View next, final long deltaTicks)
    {
        if (deltaTicks == 0)
        {
            return true;
        }
        final int row = (next.count - 1) * fieldCount;
        final int baseRow = index * fieldCount;
        for (int i = 0; i < fieldCount; i++)
        {
            final int predictor = schema.predictor(i);
            if (predictor >= 0)
            {
                final long predicted = baseline.values[baseRow + i] + baseline.values[baseRow + predictor] * deltaTicks;
                if (!schema.field(i).contains(predicted))
                {
                    return false;
                }
                next.values[row + i] = (int)predicted;
            }
        }
        return true;
    }

    private boolean readUpdate(
        final View baseline, final int index, final View next, final int id, final long deltaTicks, final int max)
    {
        final long mask = reader.varLong();
        if (!reader.isValid() || mask == 0 || (mask >>> fieldCount) != 0 || !next.append(baseline, index, max))
        {
            return false;
        }
        final int row = (next.count - 1) * fieldCount;
        final int baseRow = index * fieldCount;
        for (int i = 0; i < fieldCount; i++)
        {
            final int predictor = schema.predictor(i);
            final long predicted = predictor < 0 ? baseline.values[baseRow + i] :
                baseline.values[baseRow + i] + baseline.values[baseRow + predictor] * deltaTicks;
            final long value = (mask & (1L << i)) != 0 ? predicted + reader.zigzagLong() : predicted;
            if (!reader.isValid() || !schema.field(i).contains(value))
            {
                reader.fail();
                return false;
            }
            next.values[row + i] = (int)value;
        }
        return next.ids[next.count - 1] == id;
    }

    private boolean readEnter(final View next, final int id)
    {
        if (!next.ensureCapacity(next.count + 1, maxEntities))
        {
            return false;
        }
        final int row = next.count * fieldCount;
        for (int i = 0; i < fieldCount; i++)
        {
            final long value = schema.min(i) + reader.varLong();
            if (!reader.isValid() || !schema.field(i).contains(value))
            {
                return false;
            }
            next.values[row + i] = (int)value;
        }
        next.ids[next.count++] = id;
        return true;
    }

    private View findRetained(final int seq)
    {
        for (int i = 0; i < retainedCount; i++)
        {
            if (retained[i].seq == seq)
            {
                return retained[i];
            }
        }
        return null;
    }

    private View takeFree()
    {
        final View view = freeCount > 0 ? free[--freeCount] : new View(fieldCount);
        view.count = 0;
        return view;
    }

    private void release(final View view)
    {
        free[freeCount++] = view;
    }

    private void retain(final View view)
    {
        if (retainedCount == retained.length)
        {
            release(retained[0]);
            System.arraycopy(retained, 1, retained, 0, --retainedCount);
        }
        retained[retainedCount++] = view;
    }

    private void dropRetainedOlderThan(final int seq)
    {
        int kept = 0;
        for (int i = 0; i < retainedCount; i++)
        {
            final View view = retained[i];
            if (Sequence.isNewer(seq, view.seq))
            {
                release(view);
            }
            else
            {
                retained[kept++] = view;
            }
        }
        for (int i = kept; i < retainedCount; i++)
        {
            retained[i] = null;
        }
        retainedCount = kept;
    }

    /**
     * One snapshot's view: entity ids ascending and their values, row by row.
     */
    private static final class View
    {
        private final int fieldCount;
        int seq = Sequence.NONE;
        int tick;
        int lastInputSeq;
        int count;
        int[] ids = new int[16];
        int[] values;

        View(final int fieldCount)
        {
            this.fieldCount = fieldCount;
            this.values = new int[16 * fieldCount];
        }

        boolean ensureCapacity(final int entities, final int max)
        {
            if (entities > max)
            {
                return false;
            }
            if (entities > ids.length)
            {
                final int capacity = Math.min(max, Math.max(entities, ids.length * 2));
                ids = Arrays.copyOf(ids, capacity);
                values = Arrays.copyOf(values, capacity * fieldCount);
            }
            return true;
        }

        boolean append(final View from, final int index, final int max)
        {
            if (!ensureCapacity(count + 1, max))
            {
                return false;
            }
            ids[count] = from.ids[index];
            System.arraycopy(from.values, index * fieldCount, values, count * fieldCount, fieldCount);
            count++;
            return true;
        }
    }
}
