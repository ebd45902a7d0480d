package io.tickwire.bots;

import io.tickwire.codec.Sequence;

/**
 * Times one bot's inputs from their send to the first snapshot that applies them. Keeps the send time of the last
 * {@link #INPUT_HISTORY} inputs in {@link SendTimes}, and records each latency in the group's histogram; an input
 * applied so late that its send time has been overwritten is counted as untimed instead.
 * <p>
 * Owned by the bot's event loop. Allocates nothing once built.
 */
final class InputTimer
{
    /** Inputs whose send time is kept for measuring latency; a power of two. */
    static final int INPUT_HISTORY = SendTimes.CAPACITY;

    private final SendTimes sendTimes = new SendTimes();
    private final GroupMetrics metrics;
    private final BotStats stats;

    /**
     * @param metrics where latencies are recorded.
     * @param stats   where untimed inputs are counted.
     */
    InputTimer(final GroupMetrics metrics, final BotStats stats)
    {
        this.metrics = metrics;
        this.stats = stats;
    }

    /**
     * Forgets every input: a new session numbers its inputs from 1 again.
     */
    void reset()
    {
        sendTimes.reset(Sequence.NONE);
    }

    /**
     * @return the sequence of the last input sent in this session; {@link Sequence#NONE} before the first.
     */
    int lastInputSeqSent()
    {
        return sendTimes.lastSent();
    }

    /**
     * @return the sequence the next input carries.
     */
    int nextInputSeq()
    {
        return Sequence.next(sendTimes.lastSent());
    }

    /**
     * Keeps the send time of the input just sent.
     *
     * @param inputSeq {@link #nextInputSeq()} as it was sent.
     * @param nowNs    the send time, on the group's clock, in nanoseconds.
     */
    void onSent(final int inputSeq, final long nowNs)
    {
        sendTimes.onSent(inputSeq, nowNs);
    }

    /**
     * Records the latency of every input a snapshot applies for the first time, newest first: those after
     * {@code previousApplied} up to {@code lastApplied}, which the caller has checked are in order and were sent.
     *
     * @param previousApplied the last input applied by an earlier snapshot of the session.
     * @param lastApplied     the last input the new snapshot says was applied.
     * @param nowNs           when the snapshot arrived, on the group's clock, in nanoseconds.
     */
    void onApplied(final int previousApplied, final int lastApplied, final long nowNs)
    {
        final int applied = lastApplied - previousApplied;
        for (int i = 0; i < applied; i++)
        {
            final int inputSeq = lastApplied - i;
            if (!sendTimes.isKept(inputSeq))
            {
                stats.onInputsUntimed(metrics.isMeasuring(nowNs) ? applied - i : 0);
                break;
            }
            metrics.recordInputLatency(nowNs - sendTimes.sentAtNs(inputSeq), nowNs);
        }
    }
}
