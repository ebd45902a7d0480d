package io.tickwire.sim;

import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A game that records every call, for tests of the shard loop.
 */
final class RecordingGame implements Game
{
    final List<String> inputs = new ArrayList<>();
    final TreeSet<Integer> avatars = new TreeSet<>();
    long steps;
    long lastTick;
    boolean failNextStep;
    /** Runs at each step: lets a test make a step take time on its fake clock. */
    Runnable onStep = () ->
    {
    };
    private int nextId = 100;

    public int onJoin(final String playerName)
    {
        avatars.add(nextId);
        return nextId++;
    }

    public void onLeave(final int entityId)
    {
        avatars.remove(entityId);
    }

    public void onInput(final int entityId, final int moveX, final int moveY, final int buttons)
    {
        inputs.add(entityId + ":" + moveX);
    }

    public void step(final long tick)
    {
        steps++;
        lastTick = tick;
        onStep.run();
        if (failNextStep)
        {
            failNextStep = false;
            throw new IllegalStateException("game bug");
        }
    }

    static final EntitySchema SCHEMA = new EntitySchema(List.of(
        FieldDef.fixed("x", 0, 10_000, 1, FieldDef.NO_PREDICTOR, FieldRole.POSITION_X),
        FieldDef.fixed("y", 0, 10_000, 1, FieldDef.NO_PREDICTOR, FieldRole.POSITION_Y),
        FieldDef.uint("hp", 255)));

    /** Position of each avatar, by entity id; all at (id, id) unless a test moves them. */
    final java.util.Map<Integer, int[]> positions = new java.util.HashMap<>();

    public void capture(final EntityTable table)
    {
        for (final int id : avatars)
        {
            final int[] position = positions.getOrDefault(id, new int[] {id, id});
            final int row = table.add(id);
            table.set(row, 0, position[0]);
            table.set(row, 1, position[1]);
            table.set(row, 2, 100);
        }
    }

    public EntitySchema schema()
    {
        return SCHEMA;
    }
}
