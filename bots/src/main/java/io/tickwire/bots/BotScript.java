package io.tickwire.bots;

import io.tickwire.codec.SnapshotDecoder;

/**
 * The movement of one bot: before each input the bot asks its script for the next move. Each {@link Behaviour}
 * makes one kind of script.
 * <p>
 * Owned by the bot's event loop; a script that keeps no state may be shared by every bot.
 */
interface BotScript
{
    /** Largest magnitude of a move axis; a game brain scales it to its input field's range. */
    int MAX_MOVE = 127;

    /**
     * Chooses the move of the next input.
     *
     * @param view        the bot's decoder, holding its current view; the view is empty before the first snapshot.
     * @param ownEntityId the bot's own entity, as the welcome names it.
     */
    void step(SnapshotDecoder view, int ownEntityId);

    /**
     * @return the x move axis of the next input, in {@code -MAX_MOVE..MAX_MOVE} of the input message.
     */
    int moveX();

    /**
     * @return the y move axis of the next input, in {@code -MAX_MOVE..MAX_MOVE} of the input message.
     */
    int moveY();
}
