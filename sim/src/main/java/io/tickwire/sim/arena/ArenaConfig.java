package io.tickwire.sim.arena;

import io.tickwire.sim.Game;
import io.tickwire.sim.GameFactory;

/**
 * Parameters of the arena demo game. The defaults are the reference workload Tickwire is benchmarked with.
 *
 * @param worldSize       side of the square world, in units.
 * @param npcsPerRoom     wandering NPCs spawned in each room.
 * @param npcSpeed        NPC speed, units per second.
 * @param npcTurnChance   probability per tick that an NPC picks a new random heading.
 * @param playerSpeed     top player speed, units per second.
 * @param seed            seed of every room's generator, mixed with the room's name.
 */
public record ArenaConfig(
    int worldSize, int npcsPerRoom, float npcSpeed, double npcTurnChance, float playerSpeed, long seed)
    implements GameFactory
{
    public static final int DEFAULT_WORLD_SIZE = 1000;
    public static final int DEFAULT_NPCS_PER_ROOM = 200;
    public static final float DEFAULT_NPC_SPEED = 60f;
    public static final double DEFAULT_NPC_TURN_CHANCE = 0.02;
    public static final float DEFAULT_PLAYER_SPEED = 120f;
    public static final long DEFAULT_SEED = 42L;
    /** Largest world side, in units, whose positions in fixed point fit comfortably in an int. */
    public static final int MAX_WORLD_SIZE = 1 << 20;

    public ArenaConfig
    {
        if (worldSize < 1 || worldSize > MAX_WORLD_SIZE)
        {
            throw new IllegalArgumentException("worldSize must be in 1.." + MAX_WORLD_SIZE + ": " + worldSize);
        }
        if (npcsPerRoom < 0 || npcsPerRoom > 60_000)
        {
            throw new IllegalArgumentException("npcsPerRoom must be in 0..60000: " + npcsPerRoom);
        }
        if (!(npcSpeed >= 0 && npcSpeed <= 100_000) || !(playerSpeed >= 0 && playerSpeed <= 100_000))
        {
            throw new IllegalArgumentException("speeds must be in 0..100000 units per second");
        }
        if (!(npcTurnChance >= 0 && npcTurnChance <= 1))
        {
            throw new IllegalArgumentException("npcTurnChance must be in 0..1: " + npcTurnChance);
        }
    }

    public static ArenaConfig defaults()
    {
        return new ArenaConfig(
            DEFAULT_WORLD_SIZE, DEFAULT_NPCS_PER_ROOM, DEFAULT_NPC_SPEED, DEFAULT_NPC_TURN_CHANCE,
            DEFAULT_PLAYER_SPEED, DEFAULT_SEED);
    }

    public Game create(final String roomName, final int tickRateHz)
    {
        return new ArenaGame(this, seed * 0x9E3779B97F4A7C15L + roomName.hashCode(), tickRateHz);
    }
}
