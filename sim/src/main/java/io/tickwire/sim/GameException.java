package io.tickwire.sim;

/**
 * Wraps an exception a game callback threw, naming the game, the room and the callback, for the error log. It
 * carries the cause's stack trace, so errors are told apart by where the game threw.
 */
final class GameException extends RuntimeException
{
    GameException(final String gameType, final String room, final String callback, final Throwable cause)
    {
        super("game " + gameType + ", room " + room + ": " + callback + " threw " + cause, cause);
        setStackTrace(cause.getStackTrace());
    }
}
