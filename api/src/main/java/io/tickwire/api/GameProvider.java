package io.tickwire.api;

/**
 * How a server finds a game: a game jar lists its provider in
 * {@code META-INF/services/io.tickwire.api.GameProvider}, and a server with the jar on its class path offers the
 * game under {@link #name()} (select games with {@code --games}). Called once at server start.
 */
public interface GameProvider
{
    /**
     * @return the room type name, as {@link GameType#name()} of what {@link #create} returns.
     */
    String name();

    /**
     * @param settings the server's tick rate and seed, and the options given for this game on the command line
     *                 ({@code --game-option NAME.key=value}).
     * @return the game type; its factory makes each room's game.
     * @throws IllegalArgumentException when a setting is invalid; the server refuses to start and says why.
     */
    GameType create(GameSettings settings);
}
