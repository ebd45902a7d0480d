package io.tickwire.bots;

/**
 * The game the bots of a swarm play: it names the room type they join, and makes each bot's {@link GameBrain}. The
 * protocol handling is the same for every game; only the brain differs.
 */
public enum GameKind
{
    /** The arena: inputs {@code moveX, moveY, buttons}; the bots move and never fire or chat. */
    ARENA,

    /**
     * Tag: inputs {@code moveX, moveY, aim, buttons}; the bots move, aim at the nearest other entity, fire now and
     * then, and chat every few seconds, timing each chat's delivery back to them.
     */
    TAG;

    private final String cliName = CliNames.of(this);

    /**
     * @return the name on the command line and the room type the bots join: {@code arena} or {@code tag}.
     */
    public String cliName()
    {
        return cliName;
    }

    /**
     * @param cliName a name as {@link #cliName()} gives it.
     * @return the game of that name.
     * @throws IllegalArgumentException when no game has that name.
     */
    public static GameKind fromCliName(final String cliName)
    {
        return CliNames.parse(GameKind.class, "game", cliName);
    }

    /**
     * @return every command line name, separated by {@code |}.
     */
    public static String cliNames()
    {
        return CliNames.list(GameKind.class);
    }

    /**
     * @param script   how the bot moves.
     * @param seed     seed of the swarm.
     * @param botIndex index of the bot in the swarm; names it in its messages and is mixed into the seed.
     * @return the brain of bot {@code botIndex}; deterministic for a seed and index.
     */
    GameBrain brain(final BotScript script, final long seed, final int botIndex)
    {
        final ArenaBrain movement = new ArenaBrain(script);
        return this == TAG ? new TagBrain(movement, seed, botIndex) : movement;
    }
}
