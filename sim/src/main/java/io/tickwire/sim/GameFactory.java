package io.tickwire.sim;

/**
 * Creates the game of a new room. Called on the shard thread that will own the room.
 */
@FunctionalInterface
public interface GameFactory
{
    /**
     * @param roomName   the room's name, stable across runs, so it can seed the game.
     * @param tickRateHz the fixed tick rate the game will be stepped at.
     */
    Game create(String roomName, int tickRateHz);
}
