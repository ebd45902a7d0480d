package io.tickwire.codec;

import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import io.tickwire.api.schema.FieldType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random schemas, random world histories and random ack patterns, through a reference server that follows the
 * protocol's rules (deltas only against the client's acknowledged snapshot within the window, acks from the future
 * or the past ignored): after every snapshot the decoder's view equals the server's view of that client, and a
 * decoder that keeps only {@code historyWindowTicks} snapshots always holds the baseline the server picks.
 */
class SnapshotCodecPropertyTest
{
    private static final int TICKS = 150;
    private static final int MAX_ID = 60;

    @Property(tries = 250)
    void decoderViewAlwaysEqualsTheServersView(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 12) final int fieldCount,
        @ForAll @IntRange(min = 1, max = 8) final int windowTicks,
        @ForAll final boolean checksums)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final EntitySchema schema = randomSchema(random, fieldCount);
        final SnapshotEncoder encoder = new SnapshotEncoder(schema);
        final SnapshotDecoder decoder = new SnapshotDecoder(schema, windowTicks, MAX_ID + 1);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SnapshotEncoder.maxLength(schema, 2 * MAX_ID + 2)]);

        final TreeMap<Integer, int[]> world = new TreeMap<>();
        final Map<Integer, Sent> sentBySeq = new HashMap<>();
        final ArrayDeque<int[]> acksInFlight = new ArrayDeque<>();
        int lastSentSeq = Sequence.NONE;
        int serverAck = Sequence.NONE;
        int deltas = 0;

        for (int tick = 1; tick <= TICKS; tick++)
        {
            evolve(random, schema, world);

            while (!acksInFlight.isEmpty() && acksInFlight.peek()[0] <= tick)
            {
                final int ack = acksInFlight.poll()[1];
                final boolean fromTheFuture = lastSentSeq == Sequence.NONE || Sequence.isNewer(ack, lastSentSeq);
                final boolean older = serverAck != Sequence.NONE && !Sequence.isNewer(ack, serverAck);
                if (!fromTheFuture && !older)
                {
                    serverAck = ack;
                }
            }

            if (random.nextInt(10) == 0)
            {
                continue;
            }

            final TreeMap<Integer, int[]> view = new TreeMap<>();
            for (final Map.Entry<Integer, int[]> entity : world.entrySet())
            {
                if (random.nextInt(5) != 0)
                {
                    view.put(entity.getKey(), entity.getValue().clone());
                }
            }

            final Sent baseline = serverAck == Sequence.NONE ? null : sentBySeq.get(serverAck);
            final boolean delta = baseline != null && tick - baseline.tick <= windowTicks;
            lastSentSeq = Sequence.next(lastSentSeq);
            encoder.begin(buffer, 0, tick, lastSentSeq, delta ? serverAck : Sequence.NONE,
                delta ? baseline.tick : 0, tick / 2, checksums, tick % 3 == 0 ? tick : Sequence.NONE);
            encode(encoder, delta ? baseline.view : new TreeMap<>(), view);
            final int length = encoder.finish();
            sentBySeq.put(lastSentSeq, new Sent(tick, view));
            deltas += delta ? 1 : 0;

            if (random.nextInt(10) == 0)
            {
                continue;
            }

            assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, length), "tick " + tick);
            assertView(schema, view, decoder);
            assertEquals(lastSentSeq, decoder.ackSeq());
            assertEquals(tick % 3 == 0 ? tick : Sequence.NONE, decoder.messageAck());
            assertTrue(decoder.retainedCount() <= windowTicks, "retained " + decoder.retainedCount());

            switch (random.nextInt(6))
            {
                case 0:
                    break;
                case 1:
                    acksInFlight.add(new int[] {tick + 1, decoder.ackSeq() + 1000});
                    break;
                case 2:
                    acksInFlight.add(new int[] {tick + random.nextInt(2 * windowTicks + 2), decoder.ackSeq()});
                    break;
                default:
                    acksInFlight.add(new int[] {tick + 1, decoder.ackSeq()});
                    break;
            }
        }
        assertEquals(0, decoder.checksumMismatches());
        assertTrue(decoder.deltaSnapshots() <= deltas);
    }

    private static void encode(
        final SnapshotEncoder encoder, final TreeMap<Integer, int[]> baseline, final TreeMap<Integer, int[]> view)
    {
        final TreeSet<Integer> ids = new TreeSet<>(baseline.keySet());
        ids.addAll(view.keySet());
        for (final int id : ids)
        {
            final int[] now = view.get(id);
            final int[] before = baseline.get(id);
            if (now != null && before != null)
            {
                encoder.update(id, now, 0, before, 0);
            }
            else if (now != null)
            {
                encoder.enter(id, now, 0);
            }
            else
            {
                encoder.remove(id);
            }
        }
    }

    private static void assertView(
        final EntitySchema schema, final TreeMap<Integer, int[]> expected, final SnapshotDecoder decoder)
    {
        assertEquals(expected.size(), decoder.entityCount());
        int index = 0;
        for (final Map.Entry<Integer, int[]> entity : expected.entrySet())
        {
            assertEquals(entity.getKey(), decoder.entityId(index));
            final int[] actual = new int[schema.fieldCount()];
            for (int f = 0; f < actual.length; f++)
            {
                actual[f] = decoder.value(index, f);
            }
            assertArrayEquals(entity.getValue(), actual);
            index++;
        }
    }

    /**
     * Entities come and go; some fields change at random, predicted fields mostly follow their predictor.
     */
    private static void evolve(
        final SplittableRandom random, final EntitySchema schema, final TreeMap<Integer, int[]> world)
    {
        for (int i = 0; i < 3; i++)
        {
            final int id = random.nextInt(MAX_ID);
            if (world.containsKey(id) && random.nextBoolean())
            {
                world.remove(id);
            }
            else if (!world.containsKey(id))
            {
                final int[] values = new int[schema.fieldCount()];
                for (int f = 0; f < values.length; f++)
                {
                    values[f] = randomValue(random, schema.field(f));
                }
                world.put(id, values);
            }
        }
        for (final int[] values : world.values())
        {
            for (int f = 0; f < values.length; f++)
            {
                final FieldDef field = schema.field(f);
                if (field.predictor() >= 0 && random.nextInt(4) != 0)
                {
                    final long next = (long)values[f] + values[field.predictor()];
                    values[f] = (int)Math.max(field.min(), Math.min(field.max(), next));
                }
                else if (random.nextInt(8) == 0)
                {
                    values[f] = randomValue(random, field);
                }
            }
        }
    }

    private static int randomValue(final SplittableRandom random, final FieldDef field)
    {
        return (int)(field.min() + (long)(random.nextDouble() * ((long)field.max() - field.min() + 1)));
    }

    private static EntitySchema randomSchema(final SplittableRandom random, final int fieldCount)
    {
        final List<FieldDef> fields = new ArrayList<>();
        for (int f = 0; f < fieldCount; f++)
        {
            final int min;
            final int max;
            switch (random.nextInt(4))
            {
                case 0:
                    min = 0;
                    max = 1 + random.nextInt(255);
                    break;
                case 1:
                    min = -random.nextInt(100);
                    max = min + random.nextInt(200);
                    break;
                case 2:
                    min = Integer.MIN_VALUE;
                    max = Integer.MAX_VALUE;
                    break;
                default:
                    min = 0;
                    max = random.nextInt(Integer.MAX_VALUE);
                    break;
            }
            final int predictor = f > 0 && random.nextInt(3) == 0 ? random.nextInt(f) : FieldDef.NO_PREDICTOR;
            fields.add(new FieldDef("f" + f, min < 0 ? FieldType.INT : FieldType.UINT, min, max, 1, predictor,
                FieldRole.NONE));
        }
        return new EntitySchema(fields);
    }

    private record Sent(int tick, TreeMap<Integer, int[]> view)
    {
    }
}
