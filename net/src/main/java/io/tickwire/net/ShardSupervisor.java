package io.tickwire.net;

import io.tickwire.sim.ShardAgent;
import io.tickwire.sim.ShardCounters;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Watches the shards from outside their threads: a shard has <em>failed</em> once an error ended its loop
 * ({@link ShardAgent#failure()}), and is <em>stalled</em> while its last ticking cycle started longer ago than
 * {@link #stallLimitNs()} (three tick periods or one second, whichever is longer).
 * <ul>
 *   <li>{@link #run()}, every {@link #CHECK_PERIOD_MS} ms on an event loop: a newly failed shard is logged once and
 *   handed to the {@link Gateway}, which stops routing joins to it and closes its sessions with 1011. A failed
 *   shard stays failed for the life of the process; the other shards go on.</li>
 *   <li>{@link #problems()}, for {@code /health}: one line per failed or stalled shard, empty when all are well.</li>
 * </ul>
 * A stalled shard is only reported: it may be in a long step or a long pause and come back, and its clients are
 * kept. Thread safe: it reads counters and volatile fields that the shards publish.
 */
public final class ShardSupervisor implements Runnable
{
    /** How often {@link #run()} should be called. */
    public static final long CHECK_PERIOD_MS = 100;

    private static final Logger LOGGER = LoggerFactory.getLogger(ShardSupervisor.class);
    private static final long MIN_STALL_LIMIT_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int STALL_LIMIT_TICKS = 3;

    private final ShardAgent[] shards;
    private final ShardCounters[] counters;
    private final Gateway gateway;
    private final NanoClock clock;
    private final long stallLimitNs;

    /**
     * @param clock the clock the shards read, so their tick start times compare with it.
     */
    public ShardSupervisor(
        final ShardAgent[] shards, final ShardCounters[] counters, final Gateway gateway, final NanoClock clock,
        final long tickPeriodNs)
    {
        this.shards = shards.clone();
        this.counters = counters.clone();
        this.gateway = gateway;
        this.clock = clock;
        this.stallLimitNs = Math.max(MIN_STALL_LIMIT_NS, STALL_LIMIT_TICKS * tickPeriodNs);
    }

    /**
     * @return how long after its last ticking cycle started a live shard is reported stalled, in nanoseconds.
     */
    public long stallLimitNs()
    {
        return stallLimitNs;
    }

    /**
     * Hands every newly failed shard to the gateway.
     */
    public void run()
    {
        for (int shard = 0; shard < shards.length; shard++)
        {
            final Throwable failure = shards[shard].failure();
            if (failure != null && !gateway.isShardFailed(shard))
            {
                final int closed = gateway.onShardFailed(shard);
                LOGGER.error("shard {} failed, its rooms are gone and {} client(s) were closed (1011); the other " +
                    "shards go on and /health answers 503 until the process is restarted", shard, closed, failure);
            }
        }
    }

    /**
     * @return one line per shard that failed or is stalled, such as {@code shard 1: failed
     * (java.lang.StackOverflowError)} or {@code shard 0: stalled, no tick for 1520 ms}; empty when every shard
     * ticks.
     */
    public String problems()
    {
        final StringBuilder problems = new StringBuilder();
        final long nowNs = clock.nanoTime();
        for (int shard = 0; shard < shards.length; shard++)
        {
            final Throwable failure = shards[shard].failure();
            final long sinceTickNs = nowNs - counters[shard].lastTickStartNs.get();
            if (failure != null)
            {
                problems.append("shard ").append(shard).append(": failed (").append(failure.getClass().getName())
                    .append(")\n");
            }
            else if (sinceTickNs > stallLimitNs)
            {
                problems.append("shard ").append(shard).append(": stalled, no tick for ")
                    .append(TimeUnit.NANOSECONDS.toMillis(sinceTickNs)).append(" ms\n");
            }
        }
        return problems.toString();
    }
}
