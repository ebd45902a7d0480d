package io.tickwire.bots;

import io.tickwire.codec.Sequence;
import io.tickwire.codec.SnapshotDecoder;
import io.tickwire.codec.SnapshotEncoder;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Steers a chasing bot over views decoded from crafted full snapshots of {@link FakeServer#SCHEMA}, whose x and y
 * fields have the position roles.
 */
class ChaseTest
{
    private static final EntitySchema SCHEMA = FakeServer.SCHEMA;
    private static final int OWN = 10;
    private static final int MAX = BotScript.MAX_MOVE;

    private final Chase chase = new Chase();

    @Test
    void steersTowardTheNearestOtherEntity()
    {
        final SnapshotDecoder view = view(
            entity(OWN, 1000, 1000),
            entity(20, 1300, 1000),
            entity(30, 1000, 1100),
            entity(40, 500, 500));

        chase.step(view, OWN);

        assertEquals(30, chase.targetId());
        assertEquals(0, chase.moveX());
        assertEquals(MAX, chase.moveY());
    }

    @Test
    void theMoveIsAFullSpeedUnitVectorTowardTheTarget()
    {
        final SnapshotDecoder view = view(entity(5, 900, 1100), entity(OWN, 1000, 1000), entity(20, 2000, 2000));

        chase.step(view, OWN);

        assertEquals(5, chase.targetId());
        assertEquals(Math.round(-MAX / Math.sqrt(2)), chase.moveX());
        assertEquals(Math.round(MAX / Math.sqrt(2)), chase.moveY());
    }

    @Test
    void ofEntitiesAtTheSameDistanceTheLowestIdWins()
    {
        final SnapshotDecoder view = view(entity(OWN, 1000, 1000), entity(20, 1000, 900), entity(30, 900, 1000));

        chase.step(view, OWN);

        assertEquals(20, chase.targetId());
        assertEquals(0, chase.moveX());
        assertEquals(-MAX, chase.moveY());
    }

    @Test
    void standsStillWithNothingToChase()
    {
        chase.step(view(entity(OWN, 1000, 1000)), OWN);
        assertStill(Chase.NO_TARGET);

        chase.step(view(entity(20, 1000, 1000), entity(30, 1200, 1000)), OWN);
        assertStill(Chase.NO_TARGET);

        chase.step(new SnapshotDecoder(SCHEMA, 4, 16), OWN);
        assertStill(Chase.NO_TARGET);

        chase.step(view(entity(OWN, 1000, 1000), entity(20, 1000, 1000)), OWN);
        assertStill(20);
    }

    @Test
    void standsStillWhenTheSchemaHasNoPosition()
    {
        final EntitySchema noPosition = new EntitySchema(List.of(FieldDef.uint("hp", 100)));
        final SnapshotDecoder view = new SnapshotDecoder(noPosition, 4, 16);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SnapshotEncoder.maxLength(noPosition, 4)]);
        final SnapshotEncoder encoder = new SnapshotEncoder(noPosition);
        encoder.begin(buffer, 0, 1, 1, Sequence.NONE, 0, 0, true, Sequence.NONE);
        encoder.enter(OWN, new int[]{ 50 }, 0);
        encoder.enter(20, new int[]{ 60 }, 0);
        assertEquals(SnapshotDecoder.Result.APPLIED, view.decode(buffer, 0, encoder.finish()));

        chase.step(view, OWN);

        assertStill(Chase.NO_TARGET);
    }

    private void assertStill(final int targetId)
    {
        assertEquals(targetId, chase.targetId());
        assertEquals(0, chase.moveX());
        assertEquals(0, chase.moveY());
    }

    /**
     * @return a decoder whose view holds {@code entities}, ids ascending, each from {@link #entity}.
     */
    private static SnapshotDecoder view(final int[]... entities)
    {
        final SnapshotDecoder decoder = new SnapshotDecoder(SCHEMA, 4, 16);
        final SnapshotEncoder encoder = new SnapshotEncoder(SCHEMA);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SnapshotEncoder.maxLength(SCHEMA, entities.length)]);
        encoder.begin(buffer, 0, 1, 1, Sequence.NONE, 0, 0, true, Sequence.NONE);
        for (final int[] entity : entities)
        {
            encoder.enter(entity[0], entity, 1);
        }
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, encoder.finish()));
        return decoder;
    }

    /**
     * @return the id and then the fields of an entity at rest at {@code (x, y)} with full hit points.
     */
    private static int[] entity(final int id, final int x, final int y)
    {
        return new int[]{ id, x, y, 0, 0, FakeServer.MAX_HP };
    }
}
