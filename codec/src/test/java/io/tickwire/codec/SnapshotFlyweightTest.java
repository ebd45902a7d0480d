package io.tickwire.codec;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotFlyweightTest
{
    @Property(tries = 200)
    void roundTripsAnySetOfEntities(
        @ForAll @Size(max = 300) @UniqueElements final List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> ids,
        @ForAll final int tick,
        @ForAll final int snapshotSeq,
        @ForAll final int lastInputSeq)
    {
        final int[] sorted = ids.stream().mapToInt(Integer::intValue).sorted().toArray();
        final int length = SnapshotFlyweight.encodedLength(sorted.length);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[length + 8]);
        final SnapshotFlyweight writer = new SnapshotFlyweight().wrap(buffer, 8, length);
        writer.header(tick, snapshotSeq, Sequence.NONE, lastInputSeq, sorted.length);
        for (int i = 0; i < sorted.length; i++)
        {
            writer.entity(i, sorted[i], i & 0xFF, (i * 7) & 0xFF, (i * 131) & 0xFFFF, 0xFFFF - i);
        }

        final SnapshotFlyweight reader = new SnapshotFlyweight().wrap(buffer, 8, length);
        assertTrue(reader.isValid());
        assertEquals(tick, reader.tick());
        assertEquals(snapshotSeq, reader.snapshotSeq());
        assertEquals(Sequence.NONE, reader.baselineSeq());
        assertEquals(lastInputSeq, reader.lastInputSeq());
        assertEquals(sorted.length, reader.entityCount());
        for (int i = 0; i < sorted.length; i++)
        {
            assertEquals(sorted[i], reader.entityId(i));
            assertEquals(i & 0xFF, reader.kind(i));
            assertEquals((i * 7) & 0xFF, reader.hp(i));
            assertEquals((i * 131) & 0xFFFF, reader.x(i));
            assertEquals(0xFFFF - i, reader.y(i));
        }
    }

    @Property(tries = 500)
    void neverAcceptsBytesWhoseLengthDisagreesWithTheirCount(
        @ForAll @Size(max = 120) final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final SnapshotFlyweight reader = new SnapshotFlyweight().wrap(buffer, 0, bytes.length);
        if (reader.isValid())
        {
            assertEquals(SnapshotFlyweight.encodedLength(reader.entityCount()), bytes.length);
        }
    }

    @Test
    void rejectsShortWrongTypeWrongLengthAndUnsortedIds()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SnapshotFlyweight.encodedLength(2)]);
        final SnapshotFlyweight snapshot = new SnapshotFlyweight().wrap(buffer, 0, buffer.capacity());
        snapshot.header(1, 1, 0, 0, 2).entity(0, 5, 0, 0, 0, 0).entity(1, 6, 0, 0, 0, 0);
        assertTrue(snapshot.isValid());

        assertFalse(new SnapshotFlyweight().wrap(buffer, 0, SnapshotFlyweight.HEADER_LENGTH - 1).isValid());
        assertFalse(new SnapshotFlyweight().wrap(buffer, 0, buffer.capacity() - 1).isValid());

        snapshot.entity(1, 5, 0, 0, 0, 0);
        assertFalse(snapshot.isValid());

        snapshot.entity(1, 6, 0, 0, 0, 0);
        buffer.putByte(0, WireFormat.TYPE_WELCOME);
        assertFalse(snapshot.isValid());
    }

    @Test
    void quantizesPositionsToSixteenthsAndClamps()
    {
        assertEquals(0, WireFormat.quantizePosition(-3f));
        assertEquals(16 * 500, WireFormat.quantizePosition(500f));
        assertEquals(8, WireFormat.quantizePosition(0.5f));
        assertEquals(0xFFFF, WireFormat.quantizePosition(1e6f));
        assertEquals(500f, WireFormat.dequantizePosition(WireFormat.quantizePosition(500f)));
    }
}
