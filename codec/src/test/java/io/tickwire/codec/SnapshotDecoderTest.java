package io.tickwire.codec;

import io.tickwire.codec.schema.EntitySchema;
import io.tickwire.codec.schema.FieldDef;
import io.tickwire.codec.schema.FieldRole;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SnapshotDecoderTest
{
    private static final EntitySchema SCHEMA = new EntitySchema(List.of(
        FieldDef.fixed("x", 0, 1000, 16, 1, FieldRole.POSITION_X),
        FieldDef.integer("vx", -10, 10),
        FieldDef.fixed("y", 0, 1000, 16, FieldDef.NO_PREDICTOR, FieldRole.POSITION_Y)));

    private final SnapshotEncoder encoder = new SnapshotEncoder(SCHEMA);
    private final SnapshotDecoder decoder = new SnapshotDecoder(SCHEMA, 4, 16);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);

    @Test
    void steadyMotionCostsNothingAndChangesCostOnlyTheirFields()
    {
        encoder.begin(buffer, 0, 10, 1, Sequence.NONE, 0, 0, true);
        encoder.enter(7, new int[] {100, 3, 50}, 0);
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, encoder.finish()));

        encoder.begin(buffer, 0, 12, 2, 1, 10, 0, true);
        encoder.update(7, new int[] {106, 3, 50}, 0, new int[] {100, 3, 50}, 0);
        final int steady = encoder.finish();
        assertEquals(SnapshotHeaderFlyweight.LENGTH + SnapshotHeaderFlyweight.CHECKSUM_LENGTH, steady);
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, steady));
        assertEquals(106, decoder.value(0, 0));

        encoder.begin(buffer, 0, 13, 3, 2, 12, 0, true);
        encoder.update(7, new int[] {109, 3, 51}, 0, new int[] {106, 3, 50}, 0);
        final int changed = encoder.finish();
        assertEquals(steady + 1 + 1 + 1, changed);
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, changed));
        assertEquals(51, decoder.value(0, 2));
    }

    @Test
    void rejectsUnknownBaselinesStaleSequencesAndBadChecksums()
    {
        encoder.begin(buffer, 0, 1, 5, Sequence.NONE, 0, 0, true);
        encoder.enter(1, new int[] {1, 0, 1}, 0);
        final int full = encoder.finish();
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, full));
        assertEquals(SnapshotDecoder.Result.STALE, decoder.decode(buffer, 0, full));

        encoder.begin(buffer, 0, 2, 6, 4, 1, 0, true);
        encoder.update(1, new int[] {2, 0, 1}, 0, new int[] {1, 0, 1}, 0);
        assertEquals(SnapshotDecoder.Result.UNKNOWN_BASELINE, decoder.decode(buffer, 0, encoder.finish()));

        encoder.begin(buffer, 0, 2, 6, 5, 1, 0, true);
        encoder.update(1, new int[] {2, 0, 1}, 0, new int[] {1, 0, 1}, 0);
        final int length = encoder.finish();
        buffer.putByte(length - 1, (byte)(buffer.getByte(length - 1) ^ 1));
        assertEquals(SnapshotDecoder.Result.CHECKSUM_MISMATCH, decoder.decode(buffer, 0, length));
        assertEquals(1, decoder.checksumMismatches());
        assertEquals(1, decoder.value(0, 0), "a rejected snapshot leaves the view unchanged");
    }

    @Test
    void rejectsValuesOutsideTheSchemaAndRemovalsOfUnknownEntities()
    {
        encoder.begin(buffer, 0, 1, 1, Sequence.NONE, 0, 0, false);
        encoder.enter(1, new int[] {1, 0, 1}, 0);
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, encoder.finish()));

        encoder.begin(buffer, 0, 2, 2, 1, 1, 0, false);
        encoder.update(1, new int[] {1, 0, 5000}, 0, new int[] {1, 0, 1}, 0);
        assertEquals(SnapshotDecoder.Result.MALFORMED, decoder.decode(buffer, 0, encoder.finish()));

        encoder.begin(buffer, 0, 2, 2, 1, 1, 0, false);
        encoder.remove(9);
        assertEquals(SnapshotDecoder.Result.MALFORMED, decoder.decode(buffer, 0, encoder.finish()));
    }

    @Property(tries = 3000)
    void arbitraryBytesNeverThrowNorChangeTheView(@ForAll @Size(max = 64) final byte[] bytes)
    {
        encoder.begin(buffer, 0, 1, 1, Sequence.NONE, 0, 0, true);
        encoder.enter(3, new int[] {10, 1, 10}, 0);
        final SnapshotDecoder fresh = new SnapshotDecoder(SCHEMA, 4, 16);
        fresh.decode(buffer, 0, encoder.finish());
        final UnsafeBuffer hostile = new UnsafeBuffer(bytes);
        if (bytes.length > 0)
        {
            hostile.putByte(0, WireFormat.TYPE_SNAPSHOT);
        }
        if (fresh.decode(hostile, 0, bytes.length) != SnapshotDecoder.Result.APPLIED)
        {
            assertEquals(1, fresh.entityCount());
            assertEquals(3, fresh.entityId(0));
        }
    }
}
