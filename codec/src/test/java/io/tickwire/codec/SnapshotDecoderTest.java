package io.tickwire.codec;

import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        encoder.begin(buffer, 0, 10, 1, Sequence.NONE, 0, 0, true, Sequence.NONE);
        encoder.enter(7, new int[] {100, 3, 50}, 0);
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, encoder.finish()));

        encoder.begin(buffer, 0, 12, 2, 1, 10, 0, true, Sequence.NONE);
        encoder.update(7, new int[] {106, 3, 50}, 0, new int[] {100, 3, 50}, 0);
        final int steady = encoder.finish();
        assertEquals(SnapshotHeaderFlyweight.LENGTH + SnapshotHeaderFlyweight.CHECKSUM_LENGTH, steady);
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, steady));
        assertEquals(106, decoder.value(0, 0));

        encoder.begin(buffer, 0, 13, 3, 2, 12, 0, true, Sequence.NONE);
        encoder.update(7, new int[] {109, 3, 51}, 0, new int[] {106, 3, 50}, 0);
        final int changed = encoder.finish();
        assertEquals(steady + 1 + 1 + 1, changed);
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, changed));
        assertEquals(51, decoder.value(0, 2));
    }

    @Test
    void rejectsUnknownBaselinesStaleSequencesAndBadChecksums()
    {
        encoder.begin(buffer, 0, 1, 5, Sequence.NONE, 0, 0, true, Sequence.NONE);
        encoder.enter(1, new int[] {1, 0, 1}, 0);
        final int full = encoder.finish();
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, full));
        assertEquals(SnapshotDecoder.Result.STALE, decoder.decode(buffer, 0, full));

        encoder.begin(buffer, 0, 2, 6, 4, 1, 0, true, Sequence.NONE);
        encoder.update(1, new int[] {2, 0, 1}, 0, new int[] {1, 0, 1}, 0);
        assertEquals(SnapshotDecoder.Result.UNKNOWN_BASELINE, decoder.decode(buffer, 0, encoder.finish()));

        encoder.begin(buffer, 0, 2, 6, 5, 1, 0, true, Sequence.NONE);
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
        encoder.begin(buffer, 0, 1, 1, Sequence.NONE, 0, 0, false, Sequence.NONE);
        encoder.enter(1, new int[] {1, 0, 1}, 0);
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, encoder.finish()));

        encoder.begin(buffer, 0, 2, 2, 1, 1, 0, false, Sequence.NONE);
        encoder.update(1, new int[] {1, 0, 5000}, 0, new int[] {1, 0, 1}, 0);
        assertEquals(SnapshotDecoder.Result.MALFORMED, decoder.decode(buffer, 0, encoder.finish()));

        encoder.begin(buffer, 0, 2, 2, 1, 1, 0, false, Sequence.NONE);
        encoder.remove(9);
        assertEquals(SnapshotDecoder.Result.MALFORMED, decoder.decode(buffer, 0, encoder.finish()));
    }

    @Property(tries = 3000)
    void arbitraryOperationsNeverThrowAndARejectedSnapshotLeavesTheViewAlone(
        @ForAll @Size(max = 48) final byte[] ops, @ForAll final boolean delta, @ForAll final boolean withChecksum)
    {
        final SnapshotDecoder fresh = new SnapshotDecoder(SCHEMA, 4, 16);
        encoder.begin(buffer, 0, 1, 1, Sequence.NONE, 0, 0, true, Sequence.NONE);
        encoder.enter(3, new int[] {10, 1, 10}, 0);
        encoder.enter(8, new int[] {20, -1, 20}, 0);
        assertEquals(SnapshotDecoder.Result.APPLIED, fresh.decode(buffer, 0, encoder.finish()));

        final UnsafeBuffer hostile = new UnsafeBuffer(new byte[SnapshotHeaderFlyweight.LENGTH + ops.length]);
        new SnapshotHeaderFlyweight().wrap(hostile, 0)
            .header(withChecksum ? SnapshotHeaderFlyweight.FLAG_CHECKSUM : 0, 2, 2, delta ? 1 : Sequence.NONE, 0)
            .opCount(ops.length == 0 ? 0 : ops[0] & 0x0F);
        hostile.putBytes(SnapshotHeaderFlyweight.LENGTH, ops);

        final SnapshotDecoder.Result result = fresh.decode(hostile, 0, hostile.capacity());
        if (result != SnapshotDecoder.Result.APPLIED)
        {
            assertEquals(2, fresh.entityCount());
            assertEquals(3, fresh.entityId(0));
            assertEquals(20, fresh.value(1, 0));
            assertEquals(1, fresh.ackSeq());
        }
        else
        {
            assertEquals(2, fresh.ackSeq());
            for (int i = 1; i < fresh.entityCount(); i++)
            {
                assertTrue(fresh.entityId(i) > fresh.entityId(i - 1));
            }
        }
    }

    @Test
    void keepsEverySnapshotTheServerMayStillUseAndDropsTheRest()
    {
        encoder.begin(buffer, 0, 1, 1, Sequence.NONE, 0, 0, false, Sequence.NONE);
        encoder.enter(1, new int[] {1, 0, 1}, 0);
        decoder.decode(buffer, 0, encoder.finish());
        for (int seq = 2; seq <= 4; seq++)
        {
            encoder.begin(buffer, 0, seq, seq, 1, 1, 0, false, Sequence.NONE);
            encoder.update(1, new int[] {seq, 0, 1}, 0, new int[] {1, 0, 1}, 0);
            assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, encoder.finish()));
        }
        assertEquals(4, decoder.retainedCount(), "baseline 1 and everything since: acks may still be in flight");

        encoder.begin(buffer, 0, 5, 5, 3, 3, 0, false, Sequence.NONE);
        encoder.update(1, new int[] {5, 0, 1}, 0, new int[] {3, 0, 1}, 0);
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, encoder.finish()));
        assertEquals(3, decoder.retainedCount(), "the server's baseline never goes back: 1 and 2 are dropped");

        encoder.begin(buffer, 0, 6, 6, 2, 2, 0, false, Sequence.NONE);
        encoder.update(1, new int[] {6, 0, 1}, 0, new int[] {2, 0, 1}, 0);
        assertEquals(SnapshotDecoder.Result.UNKNOWN_BASELINE, decoder.decode(buffer, 0, encoder.finish()));
    }
}
