package io.tickwire.games.arena;

import io.tickwire.api.Chat;
import io.tickwire.api.EntityWriter;
import io.tickwire.api.Game;
import io.tickwire.api.Input;
import io.tickwire.api.JoinOptions;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Message;
import io.tickwire.api.Player;
import io.tickwire.api.RoomContext;
import io.tickwire.api.RoomRandom;
import io.tickwire.api.StateReader;
import io.tickwire.api.StateWriter;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import io.tickwire.api.schema.InputSchema;

import java.util.Arrays;
import java.util.List;

import static io.tickwire.games.arena.ArenaConfig.STEPS_PER_UNIT;

/**
 * The arena: a square world with one avatar per player, moved by its inputs at a capped speed, and NPCs that
 * wander at a constant speed, pick a new random heading with a fixed chance each tick, and bounce off the walls.
 * <p>
 * State is the wire state: positions in fixed point (16 steps per unit, {@code 0..worldSize * 16}) and velocities
 * in steps per tick, all integers, so a position advances by exactly its velocity each tick and a snapshot delta
 * predicting {@code x + vx * ticks} costs nothing while an entity moves straight. Entities are columns sorted by
 * id; ids only grow, so joins append and the order holds.
 * <p>
 * <b>Input to motion</b> (a client predicts its avatar with exactly this). {@code S} is the player speed in steps
 * per tick, {@code round(playerSpeed * 16 / tickRateHz)}: 64 by default at 30 Hz. An input sets the avatar's
 * intent, kept until the next input (none yet: standing still):
 * <pre>
 *   dx = moveX / 127.0;  dy = moveY / 127.0                  (IEEE doubles)
 *   len = sqrt(dx * dx + dy * dy);  if (len > 1) { dx /= len; dy /= len; }
 *   intentX = round(dx * S);  intentY = round(dy * S)         (round half up: floor(v + 0.5))
 * </pre>
 * Each tick, after that tick's inputs: {@code x' = clamp(x + intentX, 0, worldSize * 16)}, {@code vx = x' - x}, and
 * the same for y. {@code buttons} is accepted but unused.
 * <p>
 * <b>Room metadata</b>, set at creation: {@value #WORLD_SIZE_KEY} (units) and {@value #SPEED_STEPS_KEY} ({@code S}),
 * what a client needs to draw the world and predict its avatar.
 * <p>
 * <b>Chat</b> ({@link ArenaProvider#CHAT}): each line a player sends goes to everyone with its id ({@link Chat}).
 * <p>
 * <b>NPCs</b>: speed {@code N = round(npcSpeed * 16 / tickRateHz)}; a new heading {@code h} uniform in
 * {@code [0, 2 pi)} gives {@code vx = round(cos(h) * N)}, {@code vy = round(sin(h) * N)} ({@link StrictMath}). Each
 * tick, in id order, an NPC turns with chance {@code npcTurnChance}, then moves by its velocity; past a wall it
 * reflects ({@code x' = -x} below 0, {@code 2 * max - x} above {@code max}) and that velocity component flips.
 * <p>
 * Deterministic: every random draw comes from {@link RoomContext#random()}. No allocation per tick, join or leave:
 * the columns are sized for the type's NPCs plus its client limit. Shard thread only.
 */
public final class ArenaGame implements Game
{
    /** Room metadata key: the side of the square world, in units. */
    public static final String WORLD_SIZE_KEY = "worldSize";
    /** Room metadata key: {@code S}, the player speed in steps (1/16 unit) per tick. */
    public static final String SPEED_STEPS_KEY = "speedSteps";

    public static final int KIND_NPC = 0;
    public static final int KIND_PLAYER = 1;
    public static final int PLAYER_HP = 100;
    public static final int MAX_MOVE = 127;

    public static final int FIELD_X = 0;
    public static final int FIELD_Y = 1;
    public static final int FIELD_VX = 2;
    public static final int FIELD_VY = 3;
    public static final int FIELD_HP = 4;
    public static final int FIELD_KIND = 5;

    public static final int INPUT_MOVE_X = 0;
    public static final int INPUT_MOVE_Y = 1;
    public static final int INPUT_BUTTONS = 2;

    /** moveX, moveY in -127..127 (127 = full speed), buttons a bit set in 0..255. */
    public static final InputSchema INPUT_SCHEMA = new InputSchema(List.of(
        FieldDef.integer("moveX", -MAX_MOVE, MAX_MOVE),
        FieldDef.integer("moveY", -MAX_MOVE, MAX_MOVE),
        FieldDef.uint("buttons", 255)));

    private final RoomContext room;
    private final ArenaConfig config;
    private final RoomRandom random;
    private final int maxPosition;
    private final int npcStepsPerTick;
    private final int playerStepsPerTick;
    private final int[] ids;
    private final int[] kinds;
    private final int[] hps;
    private final int[] xs;
    private final int[] ys;
    private final int[] vxs;
    private final int[] vys;
    private final int[] intentXs;
    private final int[] intentYs;
    private final int[][] columns;
    private int count;
    private int nextId = 1;

    /**
     * @param capacity most entities the room holds at once: the type's NPCs plus its client limit.
     */
    public ArenaGame(final RoomContext room, final ArenaConfig config, final int capacity)
    {
        if (capacity < config.npcs())
        {
            throw new IllegalArgumentException("capacity " + capacity + " below npcs " + config.npcs());
        }
        this.room = room;
        this.config = config;
        this.random = room.random();
        this.maxPosition = config.maxPosition();
        this.npcStepsPerTick = config.npcStepsPerTick();
        this.playerStepsPerTick = config.playerStepsPerTick();
        ids = new int[capacity];
        kinds = new int[capacity];
        hps = new int[capacity];
        xs = new int[capacity];
        ys = new int[capacity];
        vxs = new int[capacity];
        vys = new int[capacity];
        intentXs = new int[capacity];
        intentYs = new int[capacity];
        columns = new int[][] {ids, kinds, hps, xs, ys, vxs, vys, intentXs, intentYs};
    }

    /**
     * The arena's entity schema: x, y (1/16 unit, predicted by vx, vy), vx, vy (steps per tick), hp, kind (0 NPC,
     * 1 player).
     */
    public static EntitySchema entitySchema(final ArenaConfig config)
    {
        final int maxPosition = config.maxPosition();
        final int maxStepsPerTick = Math.max(config.npcStepsPerTick(), config.playerStepsPerTick());
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

    public void onCreate(final JoinOptions options)
    {
        room.setMetadata(WORLD_SIZE_KEY, Integer.toString(config.worldSize()));
        room.setMetadata(SPEED_STEPS_KEY, Integer.toString(playerStepsPerTick));
        for (int i = 0; i < config.npcs(); i++)
        {
            final int index = spawn(KIND_NPC, random.nextInt(256));
            turn(index);
        }
    }

    /**
     * Spawns the player's avatar at a random position, standing still.
     *
     * @throws IllegalStateException when the room is full or out of ids (the server then refuses the join).
     */
    public void onJoin(final Player player)
    {
        if (count == ids.length || nextId == Integer.MAX_VALUE)
        {
            throw new IllegalStateException("arena full");
        }
        final int index = spawn(KIND_PLAYER, PLAYER_HP);
        player.setEntityId(ids[index]);
    }

    public void onLeave(final Player player, final LeaveReason reason)
    {
        final int index = indexOf(player.entityId());
        if (index >= 0)
        {
            final int tail = count - index - 1;
            for (final int[] column : columns)
            {
                System.arraycopy(column, index + 1, column, index, tail);
            }
            count--;
        }
    }

    public void onInput(final Player player, final Input input)
    {
        final int index = indexOf(player.entityId());
        if (index < 0)
        {
            return;
        }

        double dirX = (double)input.get(INPUT_MOVE_X) / MAX_MOVE;
        double dirY = (double)input.get(INPUT_MOVE_Y) / MAX_MOVE;
        final double length = Math.sqrt(dirX * dirX + dirY * dirY);
        if (length > 1)
        {
            dirX /= length;
            dirY /= length;
        }
        intentXs[index] = (int)Math.round(dirX * playerStepsPerTick);
        intentYs[index] = (int)Math.round(dirY * playerStepsPerTick);
    }

    /**
     * Relays chat to everyone ({@link Chat#relay}).
     */
    public void onMessage(final Player player, final Message message)
    {
        if (message.type() == ArenaProvider.CHAT)
        {
            Chat.relay(room, player, message);
        }
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

    public void capture(final EntityWriter entities)
    {
        for (int i = 0; i < count; i++)
        {
            final int row = entities.add(ids[i]);
            entities.set(row, FIELD_X, xs[i]);
            entities.set(row, FIELD_Y, ys[i]);
            entities.set(row, FIELD_VX, vxs[i]);
            entities.set(row, FIELD_VY, vys[i]);
            entities.set(row, FIELD_HP, hps[i]);
            entities.set(row, FIELD_KIND, kinds[i]);
        }
    }

    /**
     * Writes {@code count}, {@code nextId}, then the first {@code count} values of each of the nine columns
     * (ids, kinds, hps, xs, ys, vxs, vys, intentXs, intentYs): the whole state; the rest comes from the config.
     */
    public void save(final StateWriter out)
    {
        out.writeInt(count);
        out.writeInt(nextId);
        for (final int[] column : columns)
        {
            out.writeInts(column, 0, count);
        }
    }

    /**
     * Reads what {@link #save} wrote (version 1).
     *
     * @throws IllegalStateException for another version, or a count above this room's capacity.
     */
    public void restore(final StateReader in, final int version)
    {
        if (version != ArenaProvider.CHECKPOINT_VERSION)
        {
            throw new IllegalStateException("arena checkpoint version " + version);
        }
        final int savedCount = in.readInt();
        final int savedNextId = in.readInt();
        if (savedCount < 0 || savedCount > ids.length || savedNextId < 1)
        {
            throw new IllegalStateException("arena checkpoint of " + savedCount + " entities, capacity " +
                ids.length + ", next id " + savedNextId);
        }
        for (final int[] column : columns)
        {
            in.readInts(column, 0, savedCount);
        }
        count = savedCount;
        nextId = savedNextId;
    }

    /**
     * @return the number of entities, NPCs and players.
     */
    public int entityCount()
    {
        return count;
    }

    private int spawn(final int kind, final int hp)
    {
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
