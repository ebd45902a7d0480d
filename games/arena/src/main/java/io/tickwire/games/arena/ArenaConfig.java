package io.tickwire.games.arena;

import io.tickwire.api.GameSettings;

import java.util.Set;

/**
 * Parameters of the arena, read from the server's {@code --game-option arena.key=value}s. The defaults are the
 * reference workload Tickwire is benchmarked with. Immutable.
 *
 * @param tickRateHz    the server's tick rate, ticks per second.
 * @param worldSize     side of the square world, in units.
 * @param npcs          wandering NPCs spawned in each room.
 * @param npcSpeed      NPC speed, units per second.
 * @param npcTurnChance probability per tick that an NPC picks a new random heading.
 * @param playerSpeed   top player speed, units per second.
 */
public record ArenaConfig(
    int tickRateHz, int worldSize, int npcs, double npcSpeed, double npcTurnChance, double playerSpeed)
{
    public static final int DEFAULT_WORLD_SIZE = 1000;
    public static final int DEFAULT_NPCS = 200;
    public static final double DEFAULT_NPC_SPEED = 60;
    public static final double DEFAULT_NPC_TURN_CHANCE = 0.02;
    public static final double DEFAULT_PLAYER_SPEED = 120;
    /** Largest world side, in units, whose positions in fixed point fit comfortably in an int. */
    public static final int MAX_WORLD_SIZE = 1 << 20;
    /** Most NPCs the option accepts before the entity limit is checked. */
    public static final int MAX_NPCS = 60_000;
    /** Fastest speed, units per second. */
    public static final double MAX_SPEED = 100_000;
    /** Fixed-point steps per unit of every position and velocity. */
    public static final int STEPS_PER_UNIT = 16;

    /** The option keys the arena reads. */
    public static final Set<String> OPTION_KEYS = Set.of(
        "worldSize", "npcs", "npcSpeed", "npcTurnChance", "playerSpeed");

    public ArenaConfig
    {
        if (tickRateHz < 1 || tickRateHz > 1000)
        {
            throw new IllegalArgumentException("tickRateHz must be in 1..1000: " + tickRateHz);
        }
        if (worldSize < 1 || worldSize > MAX_WORLD_SIZE)
        {
            throw new IllegalArgumentException("worldSize must be in 1.." + MAX_WORLD_SIZE + ": " + worldSize);
        }
        if (npcs < 0 || npcs > MAX_NPCS)
        {
            throw new IllegalArgumentException("npcs must be in 0.." + MAX_NPCS + ": " + npcs);
        }
        if (!(npcSpeed >= 0 && npcSpeed <= MAX_SPEED) || !(playerSpeed >= 0 && playerSpeed <= MAX_SPEED))
        {
            throw new IllegalArgumentException("speeds must be in 0.." + MAX_SPEED + " units per second");
        }
        if (!(npcTurnChance >= 0 && npcTurnChance <= 1))
        {
            throw new IllegalArgumentException("npcTurnChance must be in 0..1: " + npcTurnChance);
        }
    }

    /**
     * @return the reference workload at {@code tickRateHz}.
     */
    public static ArenaConfig defaults(final int tickRateHz)
    {
        return new ArenaConfig(tickRateHz, DEFAULT_WORLD_SIZE, DEFAULT_NPCS, DEFAULT_NPC_SPEED,
            DEFAULT_NPC_TURN_CHANCE, DEFAULT_PLAYER_SPEED);
    }

    /**
     * @throws IllegalArgumentException for an unknown option or one out of its range.
     */
    public static ArenaConfig from(final GameSettings settings)
    {
        settings.requireOnly(OPTION_KEYS);
        return new ArenaConfig(
            settings.tickRateHz(),
            settings.intOption("worldSize", DEFAULT_WORLD_SIZE, 1, MAX_WORLD_SIZE),
            settings.intOption("npcs", DEFAULT_NPCS, 0, MAX_NPCS),
            settings.doubleOption("npcSpeed", DEFAULT_NPC_SPEED, 0, MAX_SPEED),
            settings.doubleOption("npcTurnChance", DEFAULT_NPC_TURN_CHANCE, 0, 1),
            settings.doubleOption("playerSpeed", DEFAULT_PLAYER_SPEED, 0, MAX_SPEED));
    }

    /**
     * @return the largest position, in steps: {@code worldSize * 16}.
     */
    public int maxPosition()
    {
        return worldSize * STEPS_PER_UNIT;
    }

    /**
     * @return NPC speed in steps per tick: {@code round(npcSpeed * 16 / tickRateHz)}, 32 by default at 30 Hz.
     */
    public int npcStepsPerTick()
    {
        return stepsPerTick(npcSpeed);
    }

    /**
     * @return top player speed in steps per tick: {@code round(playerSpeed * 16 / tickRateHz)}, 64 by default at
     * 30 Hz.
     */
    public int playerStepsPerTick()
    {
        return stepsPerTick(playerSpeed);
    }

    private int stepsPerTick(final double unitsPerSecond)
    {
        return (int)Math.round(unitsPerSecond * STEPS_PER_UNIT / tickRateHz);
    }
}
