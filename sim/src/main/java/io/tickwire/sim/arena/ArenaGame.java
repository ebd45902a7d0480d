package io.tickwire.sim.arena;

import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import io.tickwire.sim.EntityTable;
import io.tickwire.sim.Game;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The arena demo game: a square world with one avatar per player, moved by its inputs at a capped speed, and NPCs
 * that wander at a constant speed, pick a new random heading with a fixed chance each tick, and bounce off the
 * walls.
 * <p>
 * The state is the wire state: positions in fixed point ({@link #STEPS_PER_UNIT} steps per unit) and velocities
 * in steps per tick, all integers, so a position advances by exactly its velocity each tick and a snapshot delta
 * that predicts {@code x + vx * ticks} costs nothing while an entity moves straight. Entities are stored as
 * columns sorted by id; ids only grow, so joins append and the order holds.
 * <p>
 * Deterministic: the generator is seeded per room and trigonometry uses {@link StrictMath}. Shard thread only.
 */
public final class ArenaGame implements Game
{
    public static final int KIND_NPC = 0;
    public static final int KIND_PLAYER = 1;
    public static final int PLAYER_HP = 100;
    public static final int STEPS_PER_UNIT = 16;

    public static final int FIELD_X = 0;
    public static final int FIELD_Y = 1;
    public static final int FIELD_VX = 2;
    public static final int FIELD_VY = 3;
    public static final int FIELD_HP = 4;
    public static final int FIELD_KIND = 5;

    private final ArenaConfig config;
    private final EntitySchema schema;
    private final SplittableRandom random;
    private final int maxPosition;
    private final int npcStepsPerTick;
    private final int playerStepsPerTick;
    private int[] ids;
    private int[] kinds;
    private int[] hps;
    private int[] xs;
    private int[] ys;
    private int[] vxs;
    private int[] vys;
    private int[] intentXs;
    private int[] intentYs;
    private int count;
    private int nextId = 1;

    public ArenaGame(final ArenaConfig config, final long seed, final int tickRateHz)
    {
        this.config = config;
        this.random = new SplittableRandom(seed);
        this.maxPosition = config.worldSize() * STEPS_PER_UNIT;
        this.npcStepsPerTick = Math.round(config.npcSpeed() * STEPS_PER_UNIT / tickRateHz);
        this.playerStepsPerTick = Math.round(config.playerSpeed() * STEPS_PER_UNIT / tickRateHz);
        this.schema = schema(maxPosition, Math.max(npcStepsPerTick, playerStepsPerTick));
        final int capacity = Math.max(16, config.npcsPerRoom() + 16);
        ids = new int[capacity];
        kinds = new int[capacity];
        hps = new int[capacity];
        xs = new int[capacity];
        ys = new int[capacity];
        vxs = new int[capacity];
        vys = new int[capacity];
        intentXs = new int[capacity];
        intentYs = new int[capacity];
        for (int i = 0; i < config.npcsPerRoom(); i++)
        {
            final int index = spawn(KIND_NPC, random.nextInt(256));
            turn(index);
        }
    }

    /**
     * The arena's entity schema: position (1/16 unit, predicted by velocity), velocity (steps per tick), hp, kind.
     */
    static EntitySchema schema(final int maxPosition, final int maxStepsPerTick)
    {
        return new EntitySchema(List.of(
            FieldDef.fixed("x", 0, maxPosition, STEPS_PER_UNIT, FIELD_VX, FieldRole.POSITION_X),
            FieldDef.fixed("y", 0, maxPosition, STEPS_PER_UNIT, FIELD_VY, FieldRole.POSITION_Y),
            FieldDef.fixed("vx", -maxStepsPerTick, maxStepsPerTick, STEPS_PER_UNIT, FieldDef.NO_PREDICTOR,
                FieldRole.NONE),
            FieldDef.fixed("vy", -maxStepsPerTick, maxStepsPerTick, STEPS_PER_UNIT, FieldDef.NO_PREDICTOR,
                FieldRole.NONE),
            FieldDef.uint("hp", 255),
            FieldDef.enumeration("kind", 2)));
    }

    public EntitySchema schema()
    {
        return schema;
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
            for (final int[] column : new int[][] {ids, kinds, hps, xs, ys, vxs, vys, intentXs, intentYs})
            {
                System.arraycopy(column, index + 1, column, index, tail);
            }
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

        double dirX = (double)moveX / ClientMessageFlyweight.MAX_MOVE;
        double dirY = (double)moveY / ClientMessageFlyweight.MAX_MOVE;
        final double length = Math.sqrt(dirX * dirX + dirY * dirY);
        if (length > 1)
        {
            dirX /= length;
            dirY /= length;
        }
        intentXs[index] = (int)Math.round(dirX * playerStepsPerTick);
        intentYs[index] = (int)Math.round(dirY * playerStepsPerTick);
    }

    public void step(final long tick)
    {
        final double turnChance = config.npcTurnChance();
        for (int i = 0; i < count; i++)
        {
            if (kinds[i] == KIND_NPC)
            {
                if (random.nextDouble() < turnChance)
                {
                    turn(i);
                }
                xs[i] = bounce(xs[i] + vxs[i], i, vxs);
                ys[i] = bounce(ys[i] + vys[i], i, vys);
            }
            else
            {
                final int x = clamp(xs[i] + intentXs[i]);
                final int y = clamp(ys[i] + intentYs[i]);
                vxs[i] = x - xs[i];
                vys[i] = y - ys[i];
                xs[i] = x;
                ys[i] = y;
            }
        }
    }

    public void capture(final EntityTable table)
    {
        for (int i = 0; i < count; i++)
        {
            final int row = table.add(ids[i]);
            table.set(row, FIELD_X, xs[i]);
            table.set(row, FIELD_Y, ys[i]);
            table.set(row, FIELD_VX, vxs[i]);
            table.set(row, FIELD_VY, vys[i]);
            table.set(row, FIELD_HP, hps[i]);
            table.set(row, FIELD_KIND, kinds[i]);
        }
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
        return index < 0 ? Float.NaN : (float)xs[index] / STEPS_PER_UNIT;
    }

    /**
     * @return the y position of an entity in units, or NaN when there is no such entity.
     */
    public float y(final int entityId)
    {
        final int index = indexOf(entityId);
        return index < 0 ? Float.NaN : (float)ys[index] / STEPS_PER_UNIT;
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
            vxs = Arrays.copyOf(vxs, capacity);
            vys = Arrays.copyOf(vys, capacity);
            intentXs = Arrays.copyOf(intentXs, capacity);
            intentYs = Arrays.copyOf(intentYs, capacity);
        }

        final int index = count++;
        ids[index] = nextId++;
        kinds[index] = kind;
        hps[index] = hp;
        xs[index] = random.nextInt(maxPosition + 1);
        ys[index] = random.nextInt(maxPosition + 1);
        vxs[index] = 0;
        vys[index] = 0;
        intentXs[index] = 0;
        intentYs[index] = 0;
        return index;
    }

    private void turn(final int index)
    {
        final double heading = random.nextDouble() * 2 * Math.PI;
        vxs[index] = (int)Math.round(StrictMath.cos(heading) * npcStepsPerTick);
        vys[index] = (int)Math.round(StrictMath.sin(heading) * npcStepsPerTick);
    }

    private int bounce(final int position, final int index, final int[] velocity)
    {
        if (position < 0)
        {
            velocity[index] = -velocity[index];
            return Math.min(-position, maxPosition);
        }
        if (position > maxPosition)
        {
            velocity[index] = -velocity[index];
            return Math.max(2 * maxPosition - position, 0);
        }
        return position;
    }

    private int clamp(final int position)
    {
        return position < 0 ? 0 : Math.min(position, maxPosition);
    }

    private int indexOf(final int entityId)
    {
        return Arrays.binarySearch(ids, 0, count, entityId);
    }
}
