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

    @Test
    void anUpdateWithAnEmptyMaskOrMaskBitsBeyondTheFieldsIsMalformed()
    {
        encoder.begin(buffer, 0, 1, 1, Sequence.NONE, 0, 0, false, Sequence.NONE);
        encoder.enter(1, new int[] {1, 0, 1}, 0);
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, encoder.finish()));

        assertEquals(SnapshotDecoder.Result.MALFORMED, decodeDelta(2, 2, 1, "04 00"), "empty mask");
        assertEquals(SnapshotDecoder.Result.MALFORMED, decodeDelta(2, 2, 1, "04 08 02"), "bit 3 of 3 fields");
        assertEquals(SnapshotDecoder.Result.MALFORMED, decodeDelta(2, 2, 1, "04 80 80 80 80 10 02"), "bit 32");
        assertEquals(SnapshotDecoder.Result.APPLIED, decodeDelta(2, 2, 1, "04 04 02"));
        assertEquals(2, decoder.value(0, 2));
    }

    @Test
    void predictionsAreNotClampedAndWhatLandsOutOfRangeIsMalformed()
    {
        encoder.begin(buffer, 0, 10, 1, Sequence.NONE, 0, 0, true, Sequence.NONE);
        encoder.enter(1, new int[] {995, 10, 7}, 0);
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, encoder.finish()));

        assertEquals(SnapshotDecoder.Result.MALFORMED, decodeDelta(11, 2, 1, ""),
            "an entity carried without an operation lands at its prediction, 1005: out of range");
        assertEquals(SnapshotDecoder.Result.MALFORMED, decodeDelta(11, 2, 1, "04 01 01"),
            "1005 - 1 is still out of range");

        encoder.begin(buffer, 0, 11, 2, 1, 10, 0, false, Sequence.NONE);
        assertTrue(encoder.update(1, new int[] {1000, 10, 7}, 0, new int[] {995, 10, 7}, 0));
        final int length = encoder.finish();
        assertEquals(SnapshotHeaderFlyweight.LENGTH + 3, length);
        assertEquals(0x04, buffer.getByte(SnapshotHeaderFlyweight.LENGTH), "UPDATE of id 1");
        assertEquals(0x01, buffer.getByte(SnapshotHeaderFlyweight.LENGTH + 1), "mask: x");
        assertEquals(0x09, buffer.getByte(SnapshotHeaderFlyweight.LENGTH + 2), "zigzag(1000 - 1005) = 9");
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, length));
        assertEquals(1000, decoder.value(0, 0));
    }

    @Test
    void carriedEntitiesAreJudgedInIdOrderSoABadPredictionBeforeTheLimitIsMalformed()
    {
        assertEquals(SnapshotDecoder.Result.MALFORMED, decodeFullOfSixteenThenEnterIdZero(995),
            "id 1, the first carried entity, lands at 1005 before the view reaches its 16 entities");
        assertEquals(SnapshotDecoder.Result.TOO_MANY_ENTITIES, decodeFullOfSixteenThenEnterIdZero(990),
            "every carried prediction in range: the 16th carried entity is the 17th in the view");
    }

    @Test
    void theMessageAckFlagCarriesAU32BeforeTheOperations()
    {
        encoder.begin(buffer, 0, 1, 1, Sequence.NONE, 0, 0, true, 0xFFFF_FFF0);
        encoder.enter(1, new int[] {1, 0, 1}, 0);
        final int length = encoder.finish();
        assertEquals(SnapshotHeaderFlyweight.FLAG_CHECKSUM | SnapshotHeaderFlyweight.FLAG_MESSAGE_ACK,
            buffer.getByte(1));
        assertEquals(0xFFFF_FFF0, buffer.getInt(20, WireFormat.BYTE_ORDER));
        assertEquals(0x05, buffer.getByte(24), "the first operation: ENTER id 1");
        final SnapshotHeaderFlyweight header = new SnapshotHeaderFlyweight().wrap(buffer, 0);
        assertEquals(0xFFFF_FFF0, header.messageAck());
        assertEquals(24, header.opsOffset());
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, length));
        assertEquals(0xFFFF_FFF0, decoder.messageAck());

        assertEquals(SnapshotDecoder.Result.MALFORMED, decodeHeaderOnly(0x02, 0, 22), "truncated message ack");
        assertEquals(SnapshotDecoder.Result.MALFORMED, decodeHeaderOnly(0x02, 0, 24), "message ack 0 with the flag");
        assertEquals(SnapshotDecoder.Result.MALFORMED, decodeHeaderOnly(0x04, 0, 20), "unknown flag");
        assertEquals(SnapshotDecoder.Result.APPLIED, decodeHeaderOnly(0x02, 3, 24));
        assertEquals(3, decoder.messageAck());
        assertEquals(SnapshotDecoder.Result.APPLIED, decodeHeaderOnly(0x00, 0, 20));
        assertEquals(Sequence.NONE, decoder.messageAck(), "absent: 0");
    }

    @Test
    void aSnapshotWhoseTickDoesNotAdvanceIsMalformed()
    {
        encoder.begin(buffer, 0, 5, 1, Sequence.NONE, 0, 0, false, Sequence.NONE);
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, encoder.finish()));
        encoder.begin(buffer, 0, 5, 2, Sequence.NONE, 0, 0, false, Sequence.NONE);
        assertEquals(SnapshotDecoder.Result.MALFORMED, decoder.decode(buffer, 0, encoder.finish()));
    }

    @Test
    void keepsAtMostTheHistoryWindowWhenIdleStalledOrFull()
    {
        final int window = 30;
        final SnapshotDecoder idle = new SnapshotDecoder(SCHEMA, window, 16);
        for (int tick = 1; tick <= 200; tick++)
        {
            encoder.begin(buffer, 0, tick, tick, Sequence.NONE, 0, 0, true, Sequence.NONE);
            encoder.enter(1, new int[] {tick, 0, 1}, 0);
            assertEquals(SnapshotDecoder.Result.APPLIED, idle.decode(buffer, 0, encoder.finish()));
            assertTrue(idle.retainedCount() <= window, "full snapshots only, tick " + tick);
        }
        assertEquals(window, idle.retainedCount());

        encoder.begin(buffer, 0, 201, 201, 171, 171, 0, true, Sequence.NONE);
        encoder.update(1, new int[] {201, 0, 1}, 0, new int[] {171, 0, 1}, 0);
        final int oldestKept = encoder.finish();
        encoder.begin(buffer, 0, 201, 201, 170, 170, 0, true, Sequence.NONE);
        encoder.update(1, new int[] {201, 0, 1}, 0, new int[] {170, 0, 1}, 0);
        assertEquals(SnapshotDecoder.Result.UNKNOWN_BASELINE, idle.decode(buffer, 0, encoder.finish()),
            "tick 170 is 31 ticks before 201: the server may not use it, and it was dropped");
        encoder.begin(buffer, 0, 201, 201, 171, 171, 0, true, Sequence.NONE);
        encoder.update(1, new int[] {201, 0, 1}, 0, new int[] {171, 0, 1}, 0);
        assertEquals(oldestKept, encoder.finish());
        assertEquals(SnapshotDecoder.Result.APPLIED, idle.decode(buffer, 0, oldestKept),
            "tick 171 is 30 ticks before 201: still kept");

        encoder.begin(buffer, 0, 400, 202, Sequence.NONE, 0, 0, true, Sequence.NONE);
        assertEquals(SnapshotDecoder.Result.APPLIED, idle.decode(buffer, 0, encoder.finish()));
        assertEquals(1, idle.retainedCount(), "after a stall every older snapshot is out of the window");
    }

    /**
     * Applies a full snapshot of ids 1 to 16 (the decoder's limit), id 1 at {@code x} moving at 10 per tick, then
     * decodes a delta one tick later that enters id 0 and carries the 16 others.
     */
    private SnapshotDecoder.Result decodeFullOfSixteenThenEnterIdZero(final int x)
    {
        final SnapshotDecoder fresh = new SnapshotDecoder(SCHEMA, 4, 16);
        encoder.begin(buffer, 0, 10, 1, Sequence.NONE, 0, 0, false, Sequence.NONE);
        encoder.enter(1, new int[] {x, 10, 0}, 0);
        for (int id = 2; id <= 16; id++)
        {
            encoder.enter(id, new int[] {100, 0, 0}, 0);
        }
        assertEquals(SnapshotDecoder.Result.APPLIED, fresh.decode(buffer, 0, encoder.finish()));

        encoder.begin(buffer, 0, 11, 2, 1, 10, 0, false, Sequence.NONE);
        encoder.enter(0, new int[] {0, 0, 0}, 0);
        return fresh.decode(buffer, 0, encoder.finish());
    }

    private SnapshotDecoder.Result decodeDelta(final int tick, final int seq, final int baselineSeq, final String ops)
    {
        final byte[] bytes = Hex.parse(ops);
        new SnapshotHeaderFlyweight().wrap(buffer, 0).header(0, tick, seq, baselineSeq, 0)
            .opCount(bytes.length > 0 ? 1 : 0);
        buffer.putBytes(SnapshotHeaderFlyweight.LENGTH, bytes);
        return decoder.decode(buffer, 0, SnapshotHeaderFlyweight.LENGTH + bytes.length);
    }

    private SnapshotDecoder.Result decodeHeaderOnly(final int flags, final int messageAck, final int length)
    {
        final int seq = decoder.ackSeq() + 1;
        new SnapshotHeaderFlyweight().wrap(buffer, 0).header(flags, seq + 100, seq, Sequence.NONE, 0)
            .messageAck(messageAck);
        return decoder.decode(buffer, 0, length);
    }
}
