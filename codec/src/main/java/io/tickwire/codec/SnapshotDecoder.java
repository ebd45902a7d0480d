package io.tickwire.codec;

import io.tickwire.api.schema.EntitySchema;
import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * A client's side of snapshots: decodes each snapshot against the baseline it names, keeps the resulting view,
 * and checks the view's checksum. Every byte is checked: a malformed snapshot, an unknown baseline or a checksum
 * mismatch is reported and leaves the current view unchanged.
 * <p>
 * It keeps exactly the snapshots the server may still use as baselines. The server deltas snapshot N only against a
 * snapshot the client acknowledged whose tick is at most {@code historyWindowTicks} older than N's, and its baseline
 * never goes back. Every later snapshot's tick is newer than the newest applied one's, T, so after applying a
 * snapshot the decoder drops every snapshot older than the newest baseline used and every one whose tick is
 * {@code historyWindowTicks} or more older than T. What remains has distinct ticks within the last
 * {@code historyWindowTicks} ticks: at most {@code historyWindowTicks} snapshots, fewer when snapshots were
 * conflated or skipped, whether the client is idle, stalled or receiving only full snapshots. Arrays grow to the
 * largest view seen and are then reused: decoding allocates nothing in steady state. Not thread safe.
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
    private final int[] predictors;
    private final int[] predictedFields;
    private final int[] mins;
    private final int[] maxs;
    private final int maxEntities;
    private final int historyWindowTicks;
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
     * @param historyWindowTicks the WELCOME's {@code historyWindowTicks}, 1 or more: the decoder keeps at most this
     *                           many snapshots.
     * @param maxEntities        most entities a view may hold.
     */
    public SnapshotDecoder(final EntitySchema schema, final int historyWindowTicks, final int maxEntities)
    {
        if (historyWindowTicks < 1)
        {
            throw new IllegalArgumentException("historyWindowTicks must be 1 or more: " + historyWindowTicks);
        }
        this.schema = schema;
        this.fieldCount = schema.fieldCount();
        this.predictors = new int[fieldCount];
        this.mins = new int[fieldCount];
        this.maxs = new int[fieldCount];
        final int[] predicted = new int[fieldCount];
        int predictedCount = 0;
        for (int i = 0; i < fieldCount; i++)
        {
            predictors[i] = schema.predictor(i);
            mins[i] = schema.min(i);
            maxs[i] = schema.max(i);
            if (predictors[i] >= 0)
            {
                predicted[predictedCount++] = i;
            }
        }
        this.predictedFields = Arrays.copyOf(predicted, predictedCount);
        this.maxEntities = maxEntities;
        this.historyWindowTicks = historyWindowTicks;
        this.retained = new View[historyWindowTicks];
        this.free = new View[historyWindowTicks + 1];
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
        final boolean withChecksum = header.hasChecksum();
        final int opsOffset = header.opsOffset();
        final int opsLength = length - opsOffset - (withChecksum ? SnapshotHeaderFlyweight.CHECKSUM_LENGTH : 0);
        if (header.type() != WireFormat.TYPE_SNAPSHOT || (header.flags() & ~SnapshotHeaderFlyweight.KNOWN_FLAGS) != 0 ||
            opsLength < 0 || (header.hasMessageAck() && header.messageAck() == Sequence.NONE))
        {
            return Result.MALFORMED;
        }

        final int seq = header.snapshotSeq();
        if (seq == Sequence.NONE || (current != empty && !Sequence.isNewer(seq, current.seq)))
        {
            return Result.STALE;
        }
        if (current != empty && !Sequence.isNewer(header.tick(), current.tick))
        {
            return Result.MALFORMED;
        }

        final int baselineSeq = header.baselineSeq();
        final View baseline = baselineSeq == Sequence.NONE ? empty : findRetained(baselineSeq);
        if (baseline == null)
        {
            return Result.UNKNOWN_BASELINE;
        }

        reader.wrap(buffer, offset + opsOffset, opsLength);
        final View next = takeFree();
        next.seq = seq;
        next.tick = header.tick();
        next.lastInputSeq = header.lastInputSeq();
        next.messageAck = header.messageAck();
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
        }
        dropRetainedUnusable(baselineSeq, next.tick);
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

    /**
     * @return the message ack the current snapshot carried: the newest client MESSAGE sequence the server accepted;
     * {@link Sequence#NONE} when it carried none.
     */
    public int messageAck()
    {
        return current.messageAck;
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
     * @return snapshots currently kept as possible baselines: at most {@code historyWindowTicks}.
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

            final int runEnd = baseline.firstAtOrAbove(cursor, id);
            final Result carried = carryPredicted(baseline, cursor, runEnd, next, deltaTicks);
            if (carried != Result.APPLIED)
            {
                return carried;
            }
            cursor = runEnd;
            final boolean inBaseline = cursor < baseline.count && baseline.ids[cursor] == id;

            switch ((int)(key & 3))
            {
                case SnapshotEncoder.OP_UPDATE:
                    if (!inBaseline || !readUpdate(baseline, cursor++, next, deltaTicks, maxEntities))
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

        return carryPredicted(baseline, cursor, baseline.count, next, deltaTicks);
    }

    /**
     * Carries baseline entities {@code from} to {@code to} (exclusive), which the snapshot does not mention, into the
     * new view: every field equals its prediction. The entities that fit under the view's limit are carried first,
     * so the outcome is the one of carrying them one by one.
     *
     * @return {@link Result#MALFORMED} when a prediction falls outside its field's range (the server never sends
     * that), else {@link Result#TOO_MANY_ENTITIES} when not all of them fit, else {@link Result#APPLIED}.
     */
    private Result carryPredicted(
        final View baseline, final int from, final int to, final View next, final long deltaTicks)
    {
        final int fitting = (int)Math.min(to, (long)from + maxEntities - next.count);
        if (fitting > from)
        {
            final int firstRow = next.count;
            next.appendAll(baseline, from, fitting, maxEntities);
            if (deltaTicks != 0 && !predictRows(baseline, from, fitting, next, firstRow, deltaTicks))
            {
                return Result.MALFORMED;
            }
        }
        return fitting < to ? Result.TOO_MANY_ENTITIES : Result.APPLIED;
    }

    /**
     * Replaces the predicted fields of {@code next}'s rows from {@code firstRow}, copies of baseline rows {@code from}
     * to {@code to}, by their predictions.
     *
     * @return false when a prediction falls outside its field's range.
     */
    private boolean predictRows(
        final View baseline, final int from, final int to, final View next, final int firstRow, final long deltaTicks)
    {
        final int[] baseValues = baseline.values;
        final int[] values = next.values;
        for (int r = 0, count = to - from; r < count; r++)
        {
            final int baseRow = (from + r) * fieldCount;
            final int row = (firstRow + r) * fieldCount;
            for (final int i : predictedFields)
            {
                final long predicted = prediction(baseValues, baseRow, i, deltaTicks);
                if (predicted < mins[i] || predicted > maxs[i])
                {
                    return false;
                }
                values[row + i] = (int)predicted;
            }
        }
        return true;
    }

    /**
     * @return field {@code field}'s prediction from the baseline row at {@code baseRow}, {@code deltaTicks} later: the
     * baseline value plus its predictor's value times the ticks, or the baseline value for a field without one.
     */
    private long prediction(final int[] baseValues, final int baseRow, final int field, final long deltaTicks)
    {
        final int predictor = predictors[field];
        final long value = baseValues[baseRow + field];
        return predictor < 0 ? value : value + baseValues[baseRow + predictor] * deltaTicks;
    }

    private boolean readUpdate(
        final View baseline, final int index, final View next, final long deltaTicks, final int max)
    {
        final long mask = reader.varLong();
        if (!reader.isValid() || mask == 0 || (mask >>> fieldCount) != 0)
        {
            reader.fail();
            return false;
        }
        if (!next.ensureCapacity(next.count + 1, max))
        {
            return false;
        }
        final int row = next.count * fieldCount;
        final int baseRow = index * fieldCount;
        for (int i = 0; i < fieldCount; i++)
        {
            final long predicted = prediction(baseline.values, baseRow, i, deltaTicks);
            final long residual = (mask & (1L << i)) != 0 ? reader.zigzagLong() : 0;
            final long value = predicted + residual;
            if (!reader.isValid() || ((predicted ^ value) & (residual ^ value)) < 0 ||
                value < mins[i] || value > maxs[i])
            {
                reader.fail();
                return false;
            }
            next.values[row + i] = (int)value;
        }
        next.ids[next.count++] = baseline.ids[index];
        return true;
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
            next.values[row + i] = reader.rangedInt(mins[i], maxs[i]);
        }
        if (!reader.isValid())
        {
            return false;
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

    /**
     * Drops every retained snapshot no later snapshot can use as its baseline: older than the newest baseline the
     * server used ({@code baselineSeq}, {@link Sequence#NONE} for a full snapshot), or {@code historyWindowTicks} or
     * more ticks older than {@code newestTick}.
     */
    private void dropRetainedUnusable(final int baselineSeq, final int newestTick)
    {
        int kept = 0;
        for (int i = 0; i < retainedCount; i++)
        {
            final View view = retained[i];
            if ((baselineSeq != Sequence.NONE && Sequence.isNewer(baselineSeq, view.seq)) ||
                newestTick - view.tick >= historyWindowTicks)
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
        int messageAck;
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

        /**
         * @return the index of the first entity at or after {@code from} whose id is {@code id} or more, or
         * {@link #count}.
         */
        int firstAtOrAbove(final int from, final long id)
        {
            int index = from;
            while (index < count && ids[index] < id)
            {
                index++;
            }
            return index;
        }

        /**
         * Appends rows {@code from} to {@code to} (exclusive) of {@code source}; the caller checked that they fit under
         * {@code max}, which caps the arrays' growth.
         */
        void appendAll(final View source, final int from, final int to, final int max)
        {
            final int rows = to - from;
            ensureCapacity(count + rows, max);
            System.arraycopy(source.ids, from, ids, count, rows);
            System.arraycopy(source.values, from * fieldCount, values, count * fieldCount, rows * fieldCount);
            count += rows;
        }
    }
}
