package io.tickwire.sim;

/**
 * Where a room reports an exception thrown by its game's code. Shard thread only.
 */
interface GameErrors
{
    /**
     * Counts and reports the error; the room goes on. A {@link VirtualMachineError} (out of memory, stack overflow)
     * is rethrown: the shard cannot be trusted to go on after one.
     *
     * @param callback the game callback that threw, such as {@code "onInput"}.
     */
    void onGameError(Room room, String callback, Throwable error);
}
