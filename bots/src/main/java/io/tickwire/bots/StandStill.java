package io.tickwire.bots;

import io.tickwire.codec.SnapshotDecoder;

/**
 * The script of {@link Behaviour#IDLE}: every input moves by zero. Keeps no state, so every bot shares
 * {@link #INSTANCE}.
 */
final class StandStill implements BotScript
{
    static final StandStill INSTANCE = new StandStill();

    private StandStill()
    {
    }

    public void step(final SnapshotDecoder view, final int ownEntityId)
    {
    }

    public int moveX()
    {
        return 0;
    }

    public int moveY()
    {
        return 0;
    }
}
