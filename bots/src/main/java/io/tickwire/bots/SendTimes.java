package io.tickwire.bots;

/**
 * The send times of the last {@link #CAPACITY} things a bot numbered and sent (inputs, chat messages), in a ring
 * indexed by {@code number & mask}, so that a later answer naming a number can be timed. Numbers rise by one per
 * send; a number sent {@link #CAPACITY} or more sends ago has been overwritten and is no longer kept.
 * <p>
 * Owned by the bot's event loop. Allocation free once built.
 */
final class SendTimes
{
    /** Send times kept; a power of two. */
    static final int CAPACITY = 128;
    private static final int MASK = CAPACITY - 1;

    private final long[] sentAtNs = new long[CAPACITY];
    private int lastSent;

    /**
     * Forgets every send: numbering starts again after {@code lastSent}.
     */
    void reset(final int lastSent)
    {
        this.lastSent = lastSent;
    }

    /**
     * @return the number of the last send.
     */
    int lastSent()
    {
        return lastSent;
    }

    /**
     * Keeps the send time of number {@code number}, which becomes the last sent.
     */
    void onSent(final int number, final long nowNs)
    {
        lastSent = number;
        sentAtNs[number & MASK] = nowNs;
    }

    /**
     * @return whether the send time of {@code number}, sent at or before the last, is still kept.
     */
    boolean isKept(final int number)
    {
        return lastSent - number < CAPACITY && lastSent - number >= 0;
    }

    /**
     * @return the send time of {@code number}; meaningful only when {@link #isKept(int)}.
     */
    long sentAtNs(final int number)
    {
        return sentAtNs[number & MASK];
    }
}
