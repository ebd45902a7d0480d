package io.tickwire.jmh.codec;

import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import io.tickwire.codec.Sequence;
import io.tickwire.codec.SnapshotDecoder;
import io.tickwire.codec.SnapshotEncoder;
import io.tickwire.codec.SnapshotHeaderFlyweight;
import io.tickwire.codec.WireFormat;
import io.tickwire.jmh.AbstractBenchmark;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One client's snapshot of {@code visible} arena entities: a full encode, a delta encode against the view one tick
 * earlier (2% of entities turned, the rest moved as predicted, 1 entered, 1 left), and the client's decodes (full,
 * and full then the delta against it), checksum included. The baseline copies the same number of entity rows between
 * arrays, the least any encoder must do.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SnapshotCodecBenchmark extends AbstractBenchmark
{
    private static final EntitySchema SCHEMA = new EntitySchema(List.of(
        FieldDef.fixed("x", 0, 16000, 16, 2, FieldRole.POSITION_X),
        FieldDef.fixed("y", 0, 16000, 16, 3, FieldRole.POSITION_Y),
        FieldDef.fixed("vx", -64, 64, 16, FieldDef.NO_PREDICTOR, FieldRole.NONE),
        FieldDef.fixed("vy", -64, 64, 16, FieldDef.NO_PREDICTOR, FieldRole.NONE),
        FieldDef.uint("hp", 255),
        FieldDef.enumeration("kind", 2)));
    private static final int FIELDS = SCHEMA.fieldCount();

    @Param({"16", "64", "256"})
    public int visible;

    private final SnapshotEncoder encoder = new SnapshotEncoder(SCHEMA);
    private UnsafeBuffer buffer;
    private UnsafeBuffer fullFrame;
    private int fullLength;
    private UnsafeBuffer deltaFrame;
    private int deltaLength;
    private SnapshotDecoder decoder;
    private int[] baseIds;
    private int[] baseValues;
    private int[] ids;
    private int[] values;
    private int[] copy;
    private int seq;
    private int tick;

    @Setup(Level.Trial)
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(11);
        buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(SnapshotEncoder.maxLength(SCHEMA, 2 * visible + 2)));
        deltaFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(buffer.capacity()));
        baseIds = new int[visible];
        baseValues = new int[visible * FIELDS];
        ids = new int[visible];
        values = new int[visible * FIELDS];
        copy = new int[visible * FIELDS];
        for (int i = 0; i < visible; i++)
        {
            baseIds[i] = 10 + i * 3;
            final int row = i * FIELDS;
            baseValues[row] = 2000 + random.nextInt(12000);
            baseValues[row + 1] = 2000 + random.nextInt(12000);
            baseValues[row + 2] = random.nextInt(-32, 33);
            baseValues[row + 3] = random.nextInt(-32, 33);
            baseValues[row + 4] = random.nextInt(256);
            baseValues[row + 5] = random.nextInt(2);
        }
        for (int i = 0; i < visible; i++)
        {
            ids[i] = i == visible - 1 ? baseIds[i] + 1 : baseIds[i + (i == 0 ? 1 : 0)] + (i == 0 ? -1 : 0);
            final int from = i * FIELDS;
            System.arraycopy(baseValues, from, values, from, FIELDS);
            values[from] += values[from + 2];
            values[from + 1] += values[from + 3];
            if (random.nextInt(50) == 0)
            {
                values[from + 2] = -values[from + 2];
            }
        }
        ids[0] = baseIds[0];
        ids[visible - 1] = baseIds[visible - 1] + 1;

        decoder = new SnapshotDecoder(SCHEMA, 8, 4096);
        encoder.begin(buffer, 0, 1, 1, Sequence.NONE, 0, 0, true, Sequence.NONE);
        for (int i = 0; i < visible; i++)
        {
            encoder.enter(baseIds[i], baseValues, i * FIELDS);
        }
        fullLength = encoder.finish();
        fullFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(fullLength));
        fullFrame.putBytes(0, buffer, 0, fullLength);
        deltaLength = encodeDelta();
        deltaFrame.putBytes(0, buffer, 0, deltaLength);
        if (decodeFullThenDelta() != visible || decodeFullThenDelta() != visible || decodeFull() != visible)
        {
            throw new IllegalStateException("the benchmark's snapshots do not decode again and again");
        }
    }

    @Benchmark
    public int encodeFull()
    {
        encoder.begin(buffer, 0, 2, 2, Sequence.NONE, 0, 0, true, Sequence.NONE);
        for (int i = 0; i < visible; i++)
        {
            encoder.enter(ids[i], values, i * FIELDS);
        }
        return encoder.finish();
    }

    @Benchmark
    public int encodeDelta()
    {
        encoder.begin(buffer, 0, 2, 2, 1, 1, 0, true, Sequence.NONE);
        int b = 0;
        int v = 0;
        while (b < visible || v < visible)
        {
            final int baseId = b < visible ? baseIds[b] : Integer.MAX_VALUE;
            final int id = v < visible ? ids[v] : Integer.MAX_VALUE;
            if (baseId == id)
            {
                encoder.update(id, values, v++ * FIELDS, baseValues, b++ * FIELDS);
            }
            else if (id < baseId)
            {
                encoder.enter(id, values, v++ * FIELDS);
            }
            else
            {
                encoder.remove(baseId);
                b++;
            }
        }
        return encoder.finish();
    }

    /**
     * Decodes the full snapshot, then the delta against it, each under fresh sequences and ticks (the decoder
     * refuses a snapshot whose tick does not advance) so both stay newer than the view, the delta one tick after
     * its baseline as encoded: a client's steady state (a delta against a retained baseline) plus one full decode.
     * {@code decodeFull} alone measures the second part, so the delta costs the difference.
     */
    @Benchmark
    public int decodeFullThenDelta()
    {
        final int fullSeq = nextFull();
        final int full = decoder.decode(fullFrame, 0, fullLength).ordinal();
        deltaFrame.putInt(SnapshotHeaderFlyweight.SNAPSHOT_SEQ_OFFSET, ++seq, WireFormat.BYTE_ORDER);
        deltaFrame.putInt(SnapshotHeaderFlyweight.TICK_OFFSET, ++tick, WireFormat.BYTE_ORDER);
        deltaFrame.putInt(SnapshotHeaderFlyweight.BASELINE_SEQ_OFFSET, fullSeq, WireFormat.BYTE_ORDER);
        return full + decoder.decode(deltaFrame, 0, deltaLength).ordinal() + decoder.entityCount();
    }

    @Benchmark
    public int decodeFull()
    {
        nextFull();
        return decoder.decode(fullFrame, 0, fullLength).ordinal() + decoder.entityCount();
    }

    /**
     * @return the next sequence, written with the next tick into the full snapshot.
     */
    private int nextFull()
    {
        fullFrame.putInt(SnapshotHeaderFlyweight.SNAPSHOT_SEQ_OFFSET, ++seq, WireFormat.BYTE_ORDER);
        fullFrame.putInt(SnapshotHeaderFlyweight.TICK_OFFSET, ++tick, WireFormat.BYTE_ORDER);
        return seq;
    }

    @Benchmark
    public int baselineCopyRows()
    {
        System.arraycopy(values, 0, copy, 0, visible * FIELDS);
        return copy[visible];
    }
}
