package io.tickwire.sim;

import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

import java.util.concurrent.locks.LockSupport;

/**
 * The idle strategy of a shard thread: after each duty cycle it sleeps until the shard's next tick falls due, never
 * spinning or yielding, so a core the shard shares with an event loop belongs to the loop between ticks.
 * <p>
 * Nothing a shard does between ticks cannot wait for the next one: inputs are applied at the tick anyway; joins,
 * leaves, acks, room inspections, restores and drain requests wait in the ring (or their request field) at most one
 * tick period. The ring must hold one tick's events of every client of the shard: at the default 64Ki events and
 * about three events per client per tick (input, ack, a message), some 20,000 clients per shard. After a stall the
 * due tick is already past and the shard runs again at once.
 * <p>
 * Owned by the shard's thread, as its agent is.
 */
public final class TickIdleStrategy implements IdleStrategy
{
    private final ShardAgent agent;
    private final NanoClock clock;

    /**
     * @param agent the shard this strategy paces.
     * @param clock the shard's clock.
     */
    public TickIdleStrategy(final ShardAgent agent, final NanoClock clock)
    {
        this.agent = agent;
        this.clock = clock;
    }

    public void idle(final int workCount)
    {
        idle();
    }

    public void idle()
    {
        final long sleepNs = agent.nextTickNs() - clock.nanoTime();
        if (sleepNs > 0)
        {
            LockSupport.parkNanos(this, sleepNs);
        }
    }

    public void reset()
    {
    }

    public String alias()
    {
        return "tick";
    }
}
