package io.tickwire.net.pipeline;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The matchmakes one IP address may ask for: a token bucket per address (sustained {@code perSecond}, bursts of
 * {@link #BURST_SECONDS} seconds' worth), because every matchmake holds a seat for the reservation's lifetime and an
 * unlimited address could hold every seat of the cluster. At most {@code maxAddresses} addresses are tracked: when
 * the table is full, buckets that refilled (addresses that went quiet) are forgotten, at most once a second, and a
 * new address that still finds no room is refused, so the table never grows without bound. Any event loop: the
 * buckets are lock-free, the table concurrent.
 */
final class MatchmakeBudget
{
    /** Seconds of the sustained rate a burst may take at once. */
    static final int BURST_SECONDS = 3;
    private static final long SWEEP_PERIOD_NS = 1_000_000_000L;

    private final int perSecond;
    private final int maxAddresses;
    private final long nanoClockOrigin = System.nanoTime();
    private final AtomicLong nextSweepNs = new AtomicLong();
    private final ConcurrentHashMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param perSecond    matchmakes per second one address may ask for, sustained; 0 for no limit.
     * @param maxAddresses most addresses tracked at once.
     */
    MatchmakeBudget(final int perSecond, final int maxAddresses)
    {
        if (perSecond < 0 || maxAddresses < 1)
        {
            throw new IllegalArgumentException("bad matchmake budget: " + perSecond + "/s, " + maxAddresses);
        }
        this.perSecond = perSecond;
        this.maxAddresses = maxAddresses;
    }

    /**
     * @param address the request's remote address; null (not IP) is never limited.
     * @return whether the address may ask for one more matchmake now; a true answer takes it from the budget.
     */
    boolean tryTake(final InetAddress address)
    {
        if (perSecond == 0 || address == null)
        {
            return true;
        }
        Bucket bucket = buckets.get(address);
        if (bucket == null)
        {
            if (buckets.size() >= maxAddresses && !sweep())
            {
                return false;
            }
            bucket = buckets.computeIfAbsent(address, a -> newBucket());
        }
        return bucket.tryConsume(1);
    }

    /** @return addresses tracked now. */
    int trackedAddresses()
    {
        return buckets.size();
    }

    /**
     * Forgets the addresses whose bucket refilled: they may ask a whole burst again, as a new address may.
     *
     * @return whether the table has room now; false without sweeping when the last sweep was under a second ago.
     */
    private boolean sweep()
    {
        final long nowNs = System.nanoTime() - nanoClockOrigin;
        final long dueNs = nextSweepNs.get();
        if (nowNs >= dueNs && nextSweepNs.compareAndSet(dueNs, nowNs + SWEEP_PERIOD_NS))
        {
            final long full = (long)perSecond * BURST_SECONDS;
            buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= full);
        }
        return buckets.size() < maxAddresses;
    }

    private Bucket newBucket()
    {
        return Bucket.builder()
            .addLimit(limit -> limit.capacity((long)perSecond * BURST_SECONDS)
                .refillGreedy(perSecond, Duration.ofSeconds(1)))
            .withSynchronizationStrategy(SynchronizationStrategy.LOCK_FREE)
            .build();
    }
}
