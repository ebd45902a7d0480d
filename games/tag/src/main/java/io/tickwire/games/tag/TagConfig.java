package io.tickwire.games.tag;

import io.tickwire.api.GameSettings;

import java.util.Set;

/**
 * Parameters of tag, from the server's {@code --game-option tag.key=value}s, and the tick counts and distances
 * derived from them. Distances are in steps (16 per unit), durations in ticks. Immutable.
 *
 * @param tickRateHz  the server's tick rate, ticks per second.
 * @param worldSize   side of the square world, in units.
 * @param playerSpeed player speed, units per second.
 * @param keepAliveSeconds how long an empty room lives on before it is disposed, in seconds (0..3600).
 */
public record TagConfig(int tickRateHz, int worldSize, int playerSpeed, int keepAliveSeconds)
{
    public static final int STEPS_PER_UNIT = 16;
    public static final int DEFAULT_WORLD_SIZE = 600;
    public static final int DEFAULT_PLAYER_SPEED = 150;
    /** Shot range, units. */
    public static final int SHOT_RANGE = 250;
    /** Radius of a player for hits, units. */
    public static final int HIT_RADIUS = 12;
    public static final double FIRE_COOLDOWN_SECONDS = 0.4;
    public static final double INVULNERABLE_SECONDS = 2;
    public static final double INTERMISSION_SECONDS = 3;
    public static final double IDLE_KICK_SECONDS = 120;

    /** The option keys tag reads. */
    public static final int DEFAULT_KEEP_ALIVE_SECONDS = 30;

    public static final Set<String> OPTION_KEYS = Set.of("worldSize", "playerSpeed", "keepAliveSeconds");

    public TagConfig
    {
        if (tickRateHz < 1 || tickRateHz > 1000 || worldSize < 100 || worldSize > 4000 || playerSpeed < 10 ||
            playerSpeed > 1000 || keepAliveSeconds < 0 || keepAliveSeconds > 3600)
        {
            throw new IllegalArgumentException("tag needs tickRateHz 1..1000, worldSize 100..4000, playerSpeed " +
                "10..1000, keepAliveSeconds 0..3600: " + tickRateHz + ", " + worldSize + ", " + playerSpeed + ", " +
                keepAliveSeconds);
        }
    }

    /**
     * Parameters with the default keep-alive of empty rooms.
     */
    public TagConfig(final int tickRateHz, final int worldSize, final int playerSpeed)
    {
        this(tickRateHz, worldSize, playerSpeed, DEFAULT_KEEP_ALIVE_SECONDS);
    }

    /**
     * @throws IllegalArgumentException for an unknown option or one out of its range.
     */
    public static TagConfig from(final GameSettings settings)
    {
        settings.requireOnly(OPTION_KEYS);
        return new TagConfig(
            settings.tickRateHz(),
            settings.intOption("worldSize", DEFAULT_WORLD_SIZE, 100, 4000),
            settings.intOption("playerSpeed", DEFAULT_PLAYER_SPEED, 10, 1000),
            settings.intOption("keepAliveSeconds", DEFAULT_KEEP_ALIVE_SECONDS, 0, 3600));
    }

    public int maxPosition()
    {
        return worldSize * STEPS_PER_UNIT;
    }

    /**
     * @return {@code S}, player speed in steps per tick: {@code round(playerSpeed * 16 / tickRateHz)}, 80 by default
     * at 30 Hz.
     */
    public int speedSteps()
    {
        return (int)Math.round((double)playerSpeed * STEPS_PER_UNIT / tickRateHz);
    }

    public int fireCooldownTicks()
    {
        return ticks(FIRE_COOLDOWN_SECONDS);
    }

    public int invulnerableTicks()
    {
        return ticks(INVULNERABLE_SECONDS);
    }

    public int intermissionTicks()
    {
        return ticks(INTERMISSION_SECONDS);
    }

    public int idleKickTicks()
    {
        return ticks(IDLE_KICK_SECONDS);
    }

    private int ticks(final double seconds)
    {
        return Math.max(1, (int)Math.round(seconds * tickRateHz));
    }
}
