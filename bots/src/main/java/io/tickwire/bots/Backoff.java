package io.tickwire.bots;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Delays before reconnecting: exponential backoff with full jitter. After {@code n} failed attempts the ceiling is
 * {@code base * 2^n}, capped, and the delay is drawn uniformly from {@code 0..ceiling}, so bots dropped together do
 * not come back together. The sequence of delays is deterministic for a seed.
 * <p>
 * Owned by one event loop: each {@link BotGroup} has its own.
 */
final class Backoff
{
    /** Ceiling of the first delay, before any attempt has failed. */
    static final long DEFAULT_BASE_NS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Largest ceiling, however many attempts have failed. */
    static final long DEFAULT_CAP_NS = TimeUnit.SECONDS.toNanos(5);

    private final long baseNs;
    private final long capNs;
    private final int maxShift;
    private final SplittableRandom random;

    /**
     * @param baseNs ceiling of the first delay, in nanoseconds; more than 0.
     * @param capNs  largest ceiling, in nanoseconds; at least {@code baseNs}.
     * @param seed   seed of the jitter.
     */
    Backoff(final long baseNs, final long capNs, final long seed)
    {
        if (baseNs <= 0 || capNs < baseNs)
        {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap: " + baseNs + ", " + capNs);
        }
        this.baseNs = baseNs;
        this.capNs = capNs;
        this.maxShift = Long.numberOfLeadingZeros(baseNs) - 1;
        this.random = new SplittableRandom(seed);
    }

    /**
     * @param failedAttempts attempts that have failed since the bot was dropped, 0 or more.
     * @return the most the next delay may be, {@code min(cap, base * 2^failedAttempts)}, in nanoseconds.
     */
    long ceilingNs(final int failedAttempts)
    {
        return Math.min(capNs, baseNs << Math.min(failedAttempts, maxShift));
    }

    /**
     * @param failedAttempts attempts that have failed since the bot was dropped, 0 or more.
     * @return a delay drawn uniformly from {@code 0..ceilingNs(failedAttempts)}, in nanoseconds.
     */
    long delayNs(final int failedAttempts)
    {
        return random.nextLong(ceilingNs(failedAttempts) + 1);
    }
}
