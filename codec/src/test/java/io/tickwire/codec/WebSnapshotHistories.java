package io.tickwire.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random worlds and the snapshot bytes a server sends a client about them, for the TypeScript SDK's tests: an entity
 * schema at extreme ranges with predictors and position roles, a world that moves, turns, loses and gains entities
 * (ids up to 2^31 - 1), ticks and sequences that wrap past 2^32 and jump (conflation), a client that acknowledges
 * some snapshots and skips others, deltas against its acknowledged snapshot while that is within the history window
 * and full snapshots otherwise, and now and then a corrupted checksum (that snapshot is never acknowledged). Each
 * step records the bytes, the view they produce and its checksum; the Java {@link SnapshotDecoder} checks each.
 */
final class WebSnapshotHistories
{
    private static final int MAX_ENTITIES = 4096;

    private final SplittableRandom random;
    private final EntitySchema schema;
    private final int fieldCount;
    private final int historyWindowTicks;
    private final TreeMap<Integer, int[]> world = new TreeMap<>();
    private final List<Sent> sent = new ArrayList<>();
    private final SnapshotEncoder encoder;
    private final SnapshotDecoder javaDecoder;
    private final UnsafeBuffer buffer;

    /** A snapshot as the server remembers it. */
    private record Sent(int seq, int tick, TreeMap<Integer, int[]> view, boolean applied)
    {
    }

    WebSnapshotHistories(final SplittableRandom random)
    {
        this.random = random;
        this.schema = entitySchema(random);
        this.fieldCount = schema.fieldCount();
        this.historyWindowTicks = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 2 + random.nextInt(30);
        this.encoder = new SnapshotEncoder(schema);
        this.javaDecoder = new SnapshotDecoder(schema, historyWindowTicks, MAX_ENTITIES);
        this.buffer = new UnsafeBuffer(new byte[SnapshotEncoder.maxLength(schema, 2 * MAX_ENTITIES)]);
    }

    /**
     * @return an entity schema of 1..6 fields (sometimes 32) at the ranges {@link RandomSchemas} gives, each field
     * predicted by any other one a third of the time, and position roles on two fields half of the time.
     */
    static EntitySchema entitySchema(final SplittableRandom random)
    {
        final int count = random.nextInt(8) == 0 ? EntitySchema.MAX_FIELDS : 1 + random.nextInt(6);
        final int xField = count >= 2 && random.nextBoolean() ? random.nextInt(count) : -1;
        final int yField = xField < 0 ? -1 : (xField + 1 + random.nextInt(count - 1)) % count;
        final List<FieldDef> fields = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final FieldDef field = RandomSchemas.numericField(random, "e" + i);
            final int predictor = count > 1 && random.nextInt(3) == 0 ?
                (i + 1 + random.nextInt(count - 1)) % count : FieldDef.NO_PREDICTOR;
            final FieldRole role = i == xField ? FieldRole.POSITION_X :
                i == yField ? FieldRole.POSITION_Y : FieldRole.NONE;
            fields.add(new FieldDef(field.name(), field.type(), field.min(), field.max(), field.stepsPerUnit(),
                predictor, role));
        }
        return new EntitySchema(fields);
    }

    /**
     * @return the case: schema, window and the steps.
     */
    ObjectNode history(final int steps)
    {
        final int maxEntities = fieldCount > 8 ? 3 : 8;
        int tick = random.nextInt(3) == 0 ? -1 - random.nextInt(40) : random.nextInt();
        int seq = random.nextBoolean() ? 1 : -1 - random.nextInt(5);
        int ackIndex = -1;
        final ArrayNode jsonSteps = WebJson.array();
        for (int step = 0; step < steps; step++)
        {
            final int advance = random.nextInt(5) == 0 ? 2 + random.nextInt(historyWindowTicks + 2) : 1;
            for (int i = 0; i < advance; i++)
            {
                evolve(maxEntities);
            }
            tick += advance;
            ackIndex = nextAck(ackIndex);
            final Sent baseline = ackIndex >= 0 && tick - sent.get(ackIndex).tick <= historyWindowTicks ?
                sent.get(ackIndex) : null;
            jsonSteps.add(encodeStep(tick, seq, baseline));
            seq += random.nextInt(6) == 0 ? 2 : 1;
            seq += seq == 0 ? 1 : 0;
        }
        final ObjectNode json = WebJson.object().put("historyWindowTicks", historyWindowTicks);
        json.set("entitySchema", WebJson.fields(schema.fields()));
        return json.set("steps", jsonSteps);
    }

    /**
     * The client acknowledges, half of the time, a snapshot it applied that is not older than its current ack.
     */
    private int nextAck(final int ackIndex)
    {
        if (sent.isEmpty() || random.nextBoolean())
        {
            return ackIndex;
        }
        final int from = Math.max(ackIndex, 0);
        final int candidate = from + random.nextInt(sent.size() - from);
        return sent.get(candidate).applied ? candidate : ackIndex;
    }

    private ObjectNode encodeStep(final int tick, final int seq, final Sent baseline)
    {
        final boolean withChecksum = random.nextInt(10) != 0;
        final int messageAck = random.nextInt(4) == 0 ? 1 + random.nextInt(Integer.MAX_VALUE) : Sequence.NONE;
        final int lastInputSeq = random.nextInt();
        final TreeMap<Integer, int[]> base = baseline == null ? new TreeMap<>() : baseline.view;
        encoder.begin(buffer, 0, tick, seq, baseline == null ? Sequence.NONE : baseline.seq,
            baseline == null ? 0 : baseline.tick, lastInputSeq, withChecksum, messageAck);
        final TreeMap<Integer, Boolean> ids = new TreeMap<>();
        world.keySet().forEach(id -> ids.put(id, true));
        base.keySet().forEach(id -> ids.putIfAbsent(id, false));
        for (final Map.Entry<Integer, Boolean> id : ids.entrySet())
        {
            final int[] now = world.get(id.getKey());
            final int[] before = base.get(id.getKey());
            if (now == null)
            {
                encoder.remove(id.getKey());
            }
            else if (before == null)
            {
                encoder.enter(id.getKey(), now, 0);
            }
            else
            {
                encoder.update(id.getKey(), now, 0, before, 0);
            }
        }
        final int length = encoder.finish();
        final boolean corrupt = withChecksum && random.nextInt(12) == 0;
        if (corrupt)
        {
            buffer.putByte(length - 1, (byte)(buffer.getByte(length - 1) ^ 0x5a));
        }
        final TreeMap<Integer, int[]> view = copy(world);
        sent.add(new Sent(seq, tick, view, !corrupt));
        assertEquals(corrupt ? SnapshotDecoder.Result.CHECKSUM_MISMATCH : SnapshotDecoder.Result.APPLIED,
            javaDecoder.decode(buffer, 0, length));
        if (!corrupt)
        {
            assertView(view);
        }

        final ArrayNode jsonIds = WebJson.array();
        final ArrayNode jsonValues = WebJson.array();
        view.forEach((id, values) ->
        {
            jsonIds.add(id);
            final ArrayNode row = jsonValues.addArray();
            for (final int value : values)
            {
                row.add(value);
            }
        });
        final ObjectNode json = WebJson.object().put("hex", WebJson.hex(buffer, length))
            .put("tick", WebJson.u32(tick)).put("seq", WebJson.u32(seq))
            .put("baselineSeq", baseline == null ? 0 : WebJson.u32(baseline.seq))
            .put("lastInputSeq", WebJson.u32(lastInputSeq)).put("messageAck", WebJson.u32(messageAck))
            .put("checksum", corrupt ? "mismatch" : withChecksum ? "ok" : "absent")
            .put("viewChecksum", WebJson.u32(encoder.viewChecksum()));
        json.set("ids", jsonIds);
        return json.set("values", jsonValues);
    }

    private void assertView(final TreeMap<Integer, int[]> view)
    {
        assertEquals(view.size(), javaDecoder.entityCount());
        int index = 0;
        for (final Map.Entry<Integer, int[]> entity : view.entrySet())
        {
            assertEquals(entity.getKey(), javaDecoder.entityId(index));
            for (int i = 0; i < fieldCount; i++)
            {
                assertEquals(entity.getValue()[i], javaDecoder.value(index, i));
            }
            index++;
        }
    }

    /**
     * One tick of the world: predicted fields move by their predictor when they stay in range, others jump now and
     * then; entities leave and enter.
     */
    private void evolve(final int maxEntities)
    {
        for (final int[] values : world.values())
        {
            for (int i = 0; i < fieldCount; i++)
            {
                final int predictor = schema.predictor(i);
                final long moved = predictor < 0 ? values[i] : (long)values[i] + values[predictor];
                values[i] = random.nextInt(6) == 0 || !schema.field(i).contains(moved) ?
                    RandomSchemas.value(random, schema.field(i)) : (int)moved;
            }
        }
        world.keySet().removeIf(id -> random.nextInt(12) == 0);
        while (world.size() < maxEntities && random.nextInt(3) == 0)
        {
            final int id = switch (random.nextInt(3))
            {
                case 0 -> random.nextInt(64);
                case 1 -> Integer.MAX_VALUE - random.nextInt(64);
                default -> random.nextInt(Integer.MAX_VALUE);
            };
            final int[] values = new int[fieldCount];
            for (int i = 0; i < fieldCount; i++)
            {
                values[i] = RandomSchemas.value(random, schema.field(i));
            }
            world.putIfAbsent(id, values);
        }
    }

    private static TreeMap<Integer, int[]> copy(final TreeMap<Integer, int[]> from)
    {
        final TreeMap<Integer, int[]> copy = new TreeMap<>();
        from.forEach((id, values) -> copy.put(id, values.clone()));
        return copy;
    }
}
