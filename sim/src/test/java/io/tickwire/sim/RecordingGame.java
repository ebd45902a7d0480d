package io.tickwire.sim;

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
        if (failNextStep)
        {
            failNextStep = false;
            throw new IllegalStateException("game bug");
        }
    }

    public void capture(final EntityTable table)
    {
        for (final int id : avatars)
        {
            table.add(id, 1, 100, id, id);
        }
    }

    public int worldWidth()
    {
        return 100;
    }

    public int worldHeight()
    {
        return 100;
    }
}
