package io.tickwire.bots;

/**
 * How the bots of a swarm move. Each behaviour has the name the command line uses, and makes the bots' scripts.
 */
public enum Behaviour
{
    /** Keep a heading and pick a new random one with probability 0.02 per input, as the arena's NPCs do. */
    RANDOM_WALK,

    /** Steer toward the nearest other entity in the bot's decoded view, by the schema's position fields. */
    CHASE,

    /** Send inputs with zero movement. */
    IDLE;

    private final String cliName = CliNames.of(this);

    /**
     * @return the name on the command line: {@code random-walk}, {@code chase} or {@code idle}.
     */
    public String cliName()
    {
        return cliName;
    }

    /**
     * @param cliName a name as {@link #cliName()} gives it.
     * @return the behaviour of that name.
     * @throws IllegalArgumentException when no behaviour has that name.
     */
    public static Behaviour fromCliName(final String cliName)
    {
        return CliNames.parse(Behaviour.class, "behaviour", cliName);
    }

    /**
     * @return every command line name, separated by {@code |}.
     */
    public static String cliNames()
    {
        return CliNames.list(Behaviour.class);
    }

    /**
     * @param seed     seed of the swarm.
     * @param botIndex index of the bot in the swarm; a random script mixes it into the seed.
     * @return the script bot {@code botIndex} follows; deterministic for a seed and index.
     */
    BotScript script(final long seed, final int botIndex)
    {
        switch (this)
        {
            case RANDOM_WALK:
                return new RandomWalk(seed, botIndex);
            case CHASE:
                return new Chase();
            default:
                return StandStill.INSTANCE;
        }
    }
}
