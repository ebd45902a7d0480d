package io.tickwire.net;

import io.netty.channel.EventLoop;
import io.tickwire.sim.SnapshotFlush;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every event loop's outbound hand-off ({@link EventLoopOutbound}), made when the loop's first session is, and the
 * {@link SnapshotFlush} of every shard: a flush has each loop with snapshots waiting drain them, so a loop is woken
 * after each stage of a shard's fan-out instead of at its first snapshot.
 * <p>
 * Thread safe: hand-offs are made on event loops (cold, under this object's lock), flushes run on shard threads
 * over an array published after each addition, and allocate nothing.
 */
public final class EventLoopOutbounds implements SnapshotFlush
{
    private final Map<EventLoop, EventLoopOutbound> byLoop = new ConcurrentHashMap<>();
    private volatile EventLoopOutbound[] all = new EventLoopOutbound[0];

    /**
     * @return the hand-off of {@code eventLoop}, made at the first call for it. Any thread.
     */
    EventLoopOutbound of(final EventLoop eventLoop)
    {
        final EventLoopOutbound outbound = byLoop.get(eventLoop);
        return outbound != null ? outbound : add(eventLoop);
    }

    private synchronized EventLoopOutbound add(final EventLoop eventLoop)
    {
        final EventLoopOutbound existing = byLoop.get(eventLoop);
        if (existing != null)
        {
            return existing;
        }
        final EventLoopOutbound outbound = new EventLoopOutbound(eventLoop);
        final EventLoopOutbound[] grown = Arrays.copyOf(all, all.length + 1);
        grown[all.length] = outbound;
        all = grown;
        byLoop.put(eventLoop, outbound);
        return outbound;
    }

    /**
     * @return the sends every loop's io_uring send ring took so far: 0 when the loops write each frame themselves.
     * Any thread.
     */
    public long sentByRing()
    {
        long sent = 0;
        for (final EventLoopOutbound outbound : all)
        {
            sent += outbound.sentByRing();
        }
        return sent;
    }

    /**
     * Every loop's snapshots offered so far are drained soon. Flushes every loop, whichever shard calls: a loop's
     * queue holds the sessions of all shards, so with several shards a loop may be woken while another shard is
     * still in its fan-out, which costs that loop an extra wake-up but delays nothing.
     */
    public void flush(final int shardId)
    {
        for (final EventLoopOutbound outbound : all)
        {
            outbound.flushDeferred();
        }
    }
}
