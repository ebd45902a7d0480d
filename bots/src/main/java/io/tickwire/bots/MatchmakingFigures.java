package io.tickwire.bots;

import org.HdrHistogram.Histogram;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A swarm's matchmaking and re-homing figures, over all its bots (see {@link MatchmakingMetrics}).
 *
 * @param placed                seats the matchmaker reserved.
 * @param refusedByError        refusals by error; only errors that happened.
 * @param retries               refusals asked again after a backoff (RESTORING, NO_NODE, unavailable, transport).
 * @param losses                connections of joined bots lost without their asking: each starts a re-home.
 * @param notBack               bots still re-homing when the run ended.
 * @param entityKept            bots welcomed back after a loss with the entity they had.
 * @param rehomeEntityChanged   bots welcomed back after a loss with another entity (their room was gone, or the
 *                              seat was not held).
 * @param rejoinsRefused        rejoins a node refused (no seat for the identity); the bot then joined afresh.
 * @param lastTickBeforeLoss    per room, the newest snapshot tick a bot applied before a loss.
 * @param requestUs             time of each matchmake request from being sent to its answer, in µs (the
 *                              {@link MatchmakerClient}'s).
 * @param answerWaitUs          time from a bot asking to the answer reaching it, the client's queue included, in µs.
 * @param rehomeUs              time from each loss to the bot's first verified snapshot after it, in µs.
 */
public record MatchmakingFigures(
    long placed,
    Map<MatchError, Long> refusedByError,
    long retries,
    long losses,
    long notBack,
    long entityKept,
    long rehomeEntityChanged,
    long rejoinsRefused,
    Map<String, Long> lastTickBeforeLoss,
    Histogram requestUs,
    Histogram answerWaitUs,
    Histogram rehomeUs)
{
    /** The figures of a swarm without a matchmaker. */
    public static final MatchmakingFigures NONE = new Builder().build(0, GroupMetrics.newHistogram());

    /**
     * @return re-homes completed: losses after which the bot played again.
     */
    public long rehomed()
    {
        return rehomeUs.getTotalCount();
    }

    /**
     * Sums the figures of the swarm's loops. Not thread safe.
     */
    static final class Builder
    {
        final Histogram answerWaitUs = GroupMetrics.newHistogram();
        final Histogram rehomeUs = GroupMetrics.newHistogram();
        final long[] refusedByError = new long[MatchError.VALUES.length];
        final Map<String, Long> lastTickBeforeLoss = new TreeMap<>();
        long placed;
        long retries;
        long losses;
        long entityKept;
        long entityChanged;
        long rejoinsRefused;

        /**
         * @param notBack   bots still re-homing at the end of the run.
         * @param requestUs the matchmaker client's request times, in µs.
         */
        MatchmakingFigures build(final long notBack, final Histogram requestUs)
        {
            final Map<MatchError, Long> refused = new EnumMap<>(MatchError.class);
            for (final MatchError error : MatchError.VALUES)
            {
                if (refusedByError[error.ordinal()] != 0)
                {
                    refused.put(error, refusedByError[error.ordinal()]);
                }
            }
            return new MatchmakingFigures(placed, Collections.unmodifiableMap(refused), retries, losses, notBack,
                entityKept, entityChanged, rejoinsRefused, Collections.unmodifiableMap(lastTickBeforeLoss),
                requestUs, answerWaitUs, rehomeUs);
        }
    }
}
