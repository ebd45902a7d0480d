package io.tickwire.bots;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * Chooses which bots of one event loop drop their connection on purpose: on average a fraction of the loop's bots
 * per second, each picked at random among those that may be dropped. Time builds up credit; each whole unit of
 * credit is one drop. Bounded: at most {@link #MAX_DROPS_PER_CYCLE} drops per cycle however long since the last
 * (credit beyond that is forgotten, so a stalled loop does not drop a burst), and at most {@link #MAX_PROBES}
 * random picks per drop (a drop that finds no eligible bot is forgotten too). Deterministic for a seed and a
 * sequence of calls.
 * <p>
 * Owned by one event loop: each {@link BotGroup} has its own.
 */
final class Churn
{
    /** Most drops one call of {@link #dropsDue(long)} asks for. */
    static final int MAX_DROPS_PER_CYCLE = 64;

    /** Most random picks {@link #pick(IntPredicate)} makes before giving up. */
    static final int MAX_PROBES = 16;

    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final double dropsPerNs;
    private final int botCount;
    private final SplittableRandom random;
    private long lastNs;
    private double credit;

    /**
     * @param fractionPerSecond fraction of the bots dropped per second, 0 for none.
     * @param botCount          bots of the event loop, picked from by index {@code 0..botCount-1}.
     * @param seed              seed of the picks.
     * @param startNs           when credit starts to build, on the loop's clock in nanoseconds.
     */
    Churn(final double fractionPerSecond, final int botCount, final long seed, final long startNs)
    {
        this.dropsPerNs = fractionPerSecond * botCount / NANOS_PER_SECOND;
        this.botCount = botCount;
        this.random = new SplittableRandom(seed);
        this.lastNs = startNs;
    }

    /**
     * Adds the credit built up since the last call and takes its whole part.
     *
     * @param nowNs the loop's clock, in nanoseconds.
     * @return how many bots to drop now, 0..{@link #MAX_DROPS_PER_CYCLE}.
     */
    int dropsDue(final long nowNs)
    {
        credit = Math.min(MAX_DROPS_PER_CYCLE, credit + Math.max(0, nowNs - lastNs) * dropsPerNs);
        lastNs = nowNs;
        final int drops = (int)credit;
        credit -= drops;
        return drops;
    }

    /**
     * @param eligible tells, by index, whether a bot may be dropped now.
     * @return the index of a bot picked at random among the eligible ones, or -1 when {@link #MAX_PROBES} picks
     * found none.
     */
    int pick(final IntPredicate eligible)
    {
        for (int probe = 0; probe < MAX_PROBES && botCount > 0; probe++)
        {
            final int index = random.nextInt(botCount);
            if (eligible.test(index))
            {
                return index;
            }
        }
        return -1;
    }
}
