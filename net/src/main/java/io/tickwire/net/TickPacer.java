package io.tickwire.net;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.tickwire.io.PacedIoHandler;
import io.tickwire.io.SocketReadPass;
import io.tickwire.sim.TickInputGather;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;

/**
 * Meets the shards and the paced event loops once per tick ({@code --io-pacing tick}): each event loop runs under a
 * {@link PacedIoHandler} made by {@link #wrap(IoHandlerFactory)}, and each shard calls {@link #gather(int)} when a
 * tick is due.
 * <pre>
 *   shard (tick due)  gather: each loop.requestPass() ----> loop wakes, reads every ready socket, publishes the inputs
 *                     park until every loop's pass is done <---- loop: pass done, unpark the waiting shards
 *                     (at most maxGatherNs)
 *                     drain ring -> tick -> snapshots to the loops ----> loop wakes (a task), writes, sleeps
 * </pre>
 * So an event loop wakes a few times per tick per shard, not once per arriving message, and every input received
 * before a tick is in it. Each loop's {@link SocketReadPass} reads its plain epoll WebSocket connections in the
 * pass, and ahead of it every 1/{@value #SOCKET_READS_PER_TICK} of a tick period without one (a loop is keyed by the
 * executor Netty makes its handler for; handlers made without one, in tests, have a pass that no connection finds).
 * A loop that does not finish its pass within {@code maxGatherNs} (saturated, or stuck) delays the tick no longer:
 * the shard goes on, the rest of its inputs reach the next tick, and the wait is counted ({@link #gatherTimeouts()}).
 * <p>
 * Thread safe: loops are added while the event loop group is built; {@link #gather(int)} runs on shard threads,
 * each with its own slot, and allocates nothing once each shard has gathered from the full set of loops.
 */
final class TickPacer implements TickInputGather, PacedIoHandler.PassListener
{
    /**
     * Runs of a loop's {@link SocketReadPass} per tick period with one shard: the pass a tick asks for, and
     * read-aheads every 1/this of a period without a run (with several shards, each shard's tick asks for its
     * pass). The pass then reads only what arrived since the last read-ahead (about a quarter of the tick's
     * inputs), so the tick starts sooner after it is due; and the tick's inputs, read in the order of the runs,
     * have their snapshots written in that order, the quarter that waited longest first. Measured at the reference
     * workload (PERFORMANCE.md, "Eleventh pass"): input latency p99 2 ms lower, and 0.6 µs more of the loop's CPU
     * per client-tick, since each run reads its quarter of the connections out of their order in memory. Each
     * socket is still read about once a tick.
     */
    static final int SOCKET_READS_PER_TICK = 4;

    private final long maxParkNs;
    private final long maxGatherNs;
    private final AtomicReferenceArray<Thread> waitingShards;
    private final long[][] passesByShard;
    private final AtomicLong gatherTimeouts = new AtomicLong();
    private volatile PacedIoHandler[] loops = new PacedIoHandler[0];
    private final Map<Object, SocketReadPass> readPassByLoop = new ConcurrentHashMap<>();

    /**
     * @param shards      the number of shards that gather.
     * @param tickPeriodNs the shards' tick period: a sleeping loop wakes at least this often.
     * @param maxGatherNs the longest a shard waits for the loops' read passes, in nanoseconds.
     */
    TickPacer(final int shards, final long tickPeriodNs, final long maxGatherNs)
    {
        this.maxParkNs = tickPeriodNs;
        this.maxGatherNs = maxGatherNs;
        this.waitingShards = new AtomicReferenceArray<>(shards);
        this.passesByShard = new long[shards][];
        Arrays.setAll(passesByShard, shard -> new long[0]);
    }

    /**
     * @return a factory of paced handlers around the transport's.
     */
    IoHandlerFactory wrap(final IoHandlerFactory transport)
    {
        return executor ->
        {
            final SocketReadPass readPass = new SocketReadPass(ByteBufAllocator.DEFAULT);
            final PacedIoHandler handler =
                new PacedIoHandler(transport.newHandler(executor), this, readPass, maxParkNs / SOCKET_READS_PER_TICK,
                    maxParkNs);
            add(handler);
            if (executor != null)
            {
                readPassByLoop.put(executor, readPass);
            }
            return handler;
        };
    }

    private synchronized void add(final PacedIoHandler handler)
    {
        final PacedIoHandler[] grown = Arrays.copyOf(loops, loops.length + 1);
        grown[loops.length] = handler;
        loops = grown;
    }

    /**
     * @return the read pass of {@code eventLoop}, or null for a loop this pacer does not pace. Any thread.
     */
    SocketReadPass readPassOf(final EventLoop eventLoop)
    {
        return readPassByLoop.get(eventLoop);
    }

    public void gather(final int shardId)
    {
        final PacedIoHandler[] current = loops;
        long[] passes = passesByShard[shardId];
        if (passes.length != current.length)
        {
            passes = new long[current.length];
            passesByShard[shardId] = passes;
        }
        waitingShards.set(shardId, Thread.currentThread());
        for (int i = 0; i < current.length; i++)
        {
            passes[i] = current[i].requestPass();
        }

        final long deadlineNs = System.nanoTime() + maxGatherNs;
        for (int i = 0; i < current.length; i++)
        {
            while (current[i].completedPass() < passes[i])
            {
                final long remainingNs = deadlineNs - System.nanoTime();
                if (remainingNs <= 0)
                {
                    gatherTimeouts.incrementAndGet();
                    waitingShards.lazySet(shardId, null);
                    return;
                }
                LockSupport.parkNanos(this, remainingNs);
            }
        }
        waitingShards.lazySet(shardId, null);
    }

    /**
     * An event loop finished a read pass: wakes every shard waiting in {@link #gather(int)}. Event loop threads.
     */
    public void onPassCompleted()
    {
        for (int shard = 0, n = waitingShards.length(); shard < n; shard++)
        {
            final Thread waiting = waitingShards.get(shard);
            if (waiting != null)
            {
                LockSupport.unpark(waiting);
            }
        }
    }

    /**
     * @return gathers that gave up waiting for a loop's pass, since start. Any thread.
     */
    long gatherTimeouts()
    {
        return gatherTimeouts.get();
    }

    /**
     * @return connections read by the loops' read passes since start. Any thread.
     */
    long passReadConnections()
    {
        return sumOverReadPasses(SocketReadPass::attached);
    }

    /**
     * @return connections the loops' read passes read now. Any thread.
     */
    long passReading()
    {
        return sumOverReadPasses(SocketReadPass::reading);
    }

    /**
     * @return connections the read passes handed back to Netty's read path since start. Any thread.
     */
    long passReadHandBacks()
    {
        return sumOverReadPasses(SocketReadPass::handedBack);
    }

    private long sumOverReadPasses(final ToLongFunction<SocketReadPass> count)
    {
        long total = 0;
        for (final SocketReadPass readPass : readPassByLoop.values())
        {
            total += count.applyAsLong(readPass);
        }
        return total;
    }

    /**
     * @return times the paced loops woke from sleeping, since start. Any thread.
     */
    long loopWakeups()
    {
        long total = 0;
        for (final PacedIoHandler loop : loops)
        {
            total += loop.wakeups();
        }
        return total;
    }
}
