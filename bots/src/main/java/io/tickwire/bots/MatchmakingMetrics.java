package io.tickwire.bots;

import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What the bots of one event loop measure of the matchmaker and of re-homing: each matchmake's wait (from asking to
 * the answer on the loop, the client's queue included) and outcome,
 * each connection loss in a clustered room (a node that died, drained or fenced the room) and the time until the bot
 * plays again (its first verified snapshot after the new WELCOME), whether it came back with the same entity, and
 * per room the newest tick a bot saw before a loss (the state lost after a restore is that tick minus the room's
 * restored tick). Recorded from the first second: matchmakes happen during the ramp, which is the warm-up.
 * <p>
 * Single writer: the group's event loop. Read by the swarm's thread only after the loop has terminated.
 */
final class MatchmakingMetrics
{
    private final Histogram answerWaitUs = GroupMetrics.newHistogram();
    private final Histogram rehomeUs = GroupMetrics.newHistogram();
    private final long[] refusedByError = new long[MatchError.VALUES.length];
    private final Map<String, Long> lastTickBeforeLoss = new TreeMap<>();
    private long placed;
    private long retries;
    private long losses;
    private long entityKept;
    private long entityChanged;
    private long rejoinsRefused;

    /**
     * A matchmaker placed a bot after {@code latencyNs}.
     */
    void onPlaced(final long latencyNs)
    {
        placed++;
        record(answerWaitUs, latencyNs);
    }

    /**
     * A matchmaker refused a bot after {@code latencyNs}; a {@link MatchError#TRANSPORT} failure is not timed.
     */
    void onRefused(final MatchError error, final long latencyNs)
    {
        refusedByError[error.ordinal()]++;
        if (error != MatchError.TRANSPORT)
        {
            record(answerWaitUs, latencyNs);
        }
        if (error.retryable())
        {
            retries++;
        }
    }

    /**
     * A joined bot lost its connection in {@code room} without asking, having seen up to {@code lastTick}.
     */
    void onLoss(final String room, final long lastTick)
    {
        losses++;
        lastTickBeforeLoss.merge(room, lastTick, Math::max);
    }

    /**
     * A bot that lost its connection was welcomed again.
     *
     * @param sameEntity whether it came back with the entity it had before the loss.
     */
    void onWelcomedBack(final boolean sameEntity)
    {
        if (sameEntity)
        {
            entityKept++;
        }
        else
        {
            entityChanged++;
        }
    }

    /**
     * A bot that lost its connection verified its first snapshot again, {@code sinceLossNs} after the loss.
     */
    void onPlayingAgain(final long sinceLossNs)
    {
        record(rehomeUs, sinceLossNs);
    }

    /**
     * A node refused a rejoin (no seat held for the identity); the bot matchmakes afresh.
     */
    void onRejoinRefused()
    {
        rejoinsRefused++;
    }

    /**
     * Adds this loop's figures to {@code figures}; after the loop terminated.
     */
    void addTo(final MatchmakingFigures.Builder figures)
    {
        figures.answerWaitUs.add(answerWaitUs);
        figures.rehomeUs.add(rehomeUs);
        for (int i = 0; i < refusedByError.length; i++)
        {
            figures.refusedByError[i] += refusedByError[i];
        }
        lastTickBeforeLoss.forEach((room, tick) -> figures.lastTickBeforeLoss.merge(room, tick, Math::max));
        figures.placed += placed;
        figures.retries += retries;
        figures.losses += losses;
        figures.entityKept += entityKept;
        figures.entityChanged += entityChanged;
        figures.rejoinsRefused += rejoinsRefused;
    }

    private static void record(final Histogram histogram, final long valueNs)
    {
        final long valueUs = TimeUnit.NANOSECONDS.toMicros(valueNs);
        histogram.recordValue(valueUs < 0 ? 0 : Math.min(valueUs, GroupMetrics.MAX_RECORDED_US));
    }
}
