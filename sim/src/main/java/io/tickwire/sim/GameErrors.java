package io.tickwire.sim;

/**
 * Where a room reports an exception thrown by its game's code. Shard thread only.
 */
interface GameErrors
{
    /**
     * Counts and reports the error; the room goes on. An {@link OutOfMemoryError} is rethrown: the process cannot
     * be trusted to go on after one.
     *
     * @param callback the game callback that threw, such as {@code "onInput"}.
     */
    void onGameError(Room room, String callback, Throwable error);
}
