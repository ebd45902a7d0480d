package io.tickwire.sim.arena;

import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.WireFormat;
import io.tickwire.sim.EntityTable;
import io.tickwire.sim.Game;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The arena demo game: a square world with one avatar per player, moved by its inputs at a capped speed, and NPCs
 * that wander at a constant speed, pick a new random heading with a fixed chance each tick, and bounce off the
 * walls. Entities are stored as columns sorted by id; ids only grow, so joins append and the order holds.
 * <p>
 * Deterministic: the generator is seeded per room and trigonometry uses {@link StrictMath}. Shard thread only.
 */
public final class ArenaGame implements Game
{
    public static final int KIND_NPC = 0;
    public static final int KIND_PLAYER = 1;
    public static final int PLAYER_HP = 100;

    private final ArenaConfig config;
    private final SplittableRandom random;
    private final float tickSeconds;
    private final float worldSize;
    private int[] ids;
    private int[] kinds;
    private int[] hps;
    private float[] xs;
    private float[] ys;
    private float[] dirXs;
    private float[] dirYs;
    private int count;
    private int nextId = 1;

    public ArenaGame(final ArenaConfig config, final long seed, final int tickRateHz)
    {
        this.config = config;
        this.random = new SplittableRandom(seed);
        this.tickSeconds = 1f / tickRateHz;
        this.worldSize = config.worldSize();
        final int capacity = Math.max(16, config.npcsPerRoom() + 16);
        ids = new int[capacity];
        kinds = new int[capacity];
        hps = new int[capacity];
        xs = new float[capacity];
        ys = new float[capacity];
        dirXs = new float[capacity];
        dirYs = new float[capacity];
        for (int i = 0; i < config.npcsPerRoom(); i++)
        {
            final int index = spawn(KIND_NPC, random.nextInt(256));
            turn(index);
        }
    }

    public int onJoin(final String playerName)
    {
        if (nextId == Integer.MAX_VALUE)
        {
            return -1;
        }
        final int index = spawn(KIND_PLAYER, PLAYER_HP);
        return ids[index];
    }

    public void onLeave(final int entityId)
    {
        final int index = indexOf(entityId);
        if (index >= 0)
        {
            final int tail = count - index - 1;
            System.arraycopy(ids, index + 1, ids, index, tail);
            System.arraycopy(kinds, index + 1, kinds, index, tail);
            System.arraycopy(hps, index + 1, hps, index, tail);
            System.arraycopy(xs, index + 1, xs, index, tail);
            System.arraycopy(ys, index + 1, ys, index, tail);
            System.arraycopy(dirXs, index + 1, dirXs, index, tail);
            System.arraycopy(dirYs, index + 1, dirYs, index, tail);
            count--;
        }
    }

    public void onInput(final int entityId, final int moveX, final int moveY, final int buttons)
    {
        final int index = indexOf(entityId);
        if (index < 0)
        {
            return;
        }

        float dirX = (float)moveX / ClientMessageFlyweight.MAX_MOVE;
        float dirY = (float)moveY / ClientMessageFlyweight.MAX_MOVE;
        final float length = (float)Math.sqrt(dirX * dirX + dirY * dirY);
        if (length > 1f)
        {
            dirX /= length;
            dirY /= length;
        }
        dirXs[index] = dirX;
        dirYs[index] = dirY;
    }

    public void step(final long tick)
    {
        final float npcStep = config.npcSpeed() * tickSeconds;
        final float playerStep = config.playerSpeed() * tickSeconds;
        final double turnChance = config.npcTurnChance();
        for (int i = 0; i < count; i++)
        {
            if (kinds[i] == KIND_NPC)
            {
                if (random.nextDouble() < turnChance)
                {
                    turn(i);
                }
                xs[i] = bounce(xs[i] + dirXs[i] * npcStep, i, dirXs);
                ys[i] = bounce(ys[i] + dirYs[i] * npcStep, i, dirYs);
            }
            else
            {
                xs[i] = clamp(xs[i] + dirXs[i] * playerStep);
                ys[i] = clamp(ys[i] + dirYs[i] * playerStep);
            }
        }
    }

    public void capture(final EntityTable table)
    {
        for (int i = 0; i < count; i++)
        {
            table.add(ids[i], kinds[i], hps[i], WireFormat.quantizePosition(xs[i]), WireFormat.quantizePosition(ys[i]));
        }
    }

    public int worldWidth()
    {
        return config.worldSize();
    }

    public int worldHeight()
    {
        return config.worldSize();
    }

    /**
     * @return the number of entities, NPCs and players.
     */
    public int entityCount()
    {
        return count;
    }

    /**
     * @return the x position of an entity in units, or NaN when there is no such entity.
     */
    public float x(final int entityId)
    {
        final int index = indexOf(entityId);
        return index < 0 ? Float.NaN : xs[index];
    }

    /**
     * @return the y position of an entity in units, or NaN when there is no such entity.
     */
    public float y(final int entityId)
    {
        final int index = indexOf(entityId);
        return index < 0 ? Float.NaN : ys[index];
    }

    private int spawn(final int kind, final int hp)
    {
        if (count == ids.length)
        {
            final int capacity = ids.length * 2;
            ids = Arrays.copyOf(ids, capacity);
            kinds = Arrays.copyOf(kinds, capacity);
            hps = Arrays.copyOf(hps, capacity);
            xs = Arrays.copyOf(xs, capacity);
            ys = Arrays.copyOf(ys, capacity);
            dirXs = Arrays.copyOf(dirXs, capacity);
            dirYs = Arrays.copyOf(dirYs, capacity);
        }

        final int index = count++;
        ids[index] = nextId++;
        kinds[index] = kind;
        hps[index] = hp;
        xs[index] = (float)(random.nextDouble() * worldSize);
        ys[index] = (float)(random.nextDouble() * worldSize);
        dirXs[index] = 0f;
        dirYs[index] = 0f;
        return index;
    }

    private void turn(final int index)
    {
        final double heading = random.nextDouble() * 2 * Math.PI;
        dirXs[index] = (float)StrictMath.cos(heading);
        dirYs[index] = (float)StrictMath.sin(heading);
    }

    private float bounce(final float position, final int index, final float[] direction)
    {
        if (position < 0f)
        {
            direction[index] = -direction[index];
            return Math.min(-position, worldSize);
        }
        if (position > worldSize)
        {
            direction[index] = -direction[index];
            return Math.max(2 * worldSize - position, 0f);
        }
        return position;
    }

    private float clamp(final float position)
    {
        return position < 0f ? 0f : Math.min(position, worldSize);
    }

    private int indexOf(final int entityId)
    {
        return Arrays.binarySearch(ids, 0, count, entityId);
    }
}
