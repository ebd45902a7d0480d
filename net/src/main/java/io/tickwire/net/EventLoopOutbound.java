package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.tickwire.sim.RankOrder;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import io.tickwire.io.SendRing;
import io.tickwire.io.SendRingIoHandler;

/**
 * The outbound hand-off of one event loop: shards enqueue sessions that have frames waiting, and one drain task per
 * batch runs on the loop, writing and flushing each session once. However many clients a shard serves on this
 * loop, a stage of a tick's snapshots costs the loop one task and each channel one flush.
 * <pre>
 *   shard threads (many)                                  event loop (one)
 *   snapshot: session -> enqueueDeferred: queued only
 *   after each stage of a tick's snapshots: flushDeferred ---+
 *   control frame: session -> enqueue -----------------------+--> execute(drain) once per batch
 *                                                                 drain: take the batch, order it by rank,
 *                                                                        write control, snapshot -> flush
 * </pre>
 * Snapshots wait for their shard's flush ({@link EventLoopOutbounds#flush(int)}), so the loop wakes once for a
 * stage of a tick's snapshots (at most {@link io.tickwire.sim.ShardAgent#SNAPSHOT_STAGES} a tick) rather than while
 * a shard is still offering them; messages and close frames are not held.
 * <p>
 * A batch is written in the order of its snapshots' ranks ({@link io.tickwire.sim.ClientLink#rankNextSnapshot}):
 * the client whose input reached the shard first, and so waited longest for its tick, is written first. The shard
 * offers in that order too, stage by stage, so the first stage's batch holds the longest waits. Writing a tick's
 * snapshots takes the loop several milliseconds at a thousand clients; in the shard's room order that time added
 * to the longest waits as often as to the shortest.
 * <p>
 * On an epoll loop with a send ring ({@link SendRingIoHandler}), the snapshots a drain's batch writes straight to
 * sockets go to the kernel together, in one submission of the ring at the end of the batch, instead of a
 * {@code write(2)} each.
 */
final class EventLoopOutbound implements Runnable
{
    private static final int INITIAL_BATCH = 1024;
    /** Room for the frames written at once from the scratch memory: a pong's is 11 bytes. */
    static final int CONTROL_SCRATCH_BYTES = 64;
    private final EventLoop eventLoop;
    private final MpscUnboundedXaddArrayQueue<Session> readySessions = new MpscUnboundedXaddArrayQueue<>(1024);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean deferred;
    private final DirectSocketWriter socketWriter = new DirectSocketWriter();
    /**
     * Memory of the loop's own in which a session frames a control frame it writes at once ({@link
     * Session#writeControlNow}): the kernel copies it, or the session copies what it did not take, before the next.
     */
    private final ByteBuf controlScratch = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(CONTROL_SCRATCH_BYTES));
    /** The loop's send ring ({@link SendRingIoHandler#current()}), or null when it writes each frame itself. */
    private SendRing sendRing;
    /** The sends the loop's ring took so far ({@link SendRing#sendsQueued()}), published after each batch. */
    private final AtomicLong sentByRing = new AtomicLong();
    /** The batch being written, and its write order ({@link RankOrder}). Loop only. */
    private Session[] batch = new Session[INITIAL_BATCH];
    private long[] order = new long[INITIAL_BATCH];

    EventLoopOutbound(final EventLoop eventLoop)
    {
        this.eventLoop = eventLoop;
    }

    /**
     * Marks a session as having frames to write, and has the loop drain it soon. Any thread; a session is enqueued
     * at most once until drained.
     */
    void enqueue(final Session session)
    {
        readySessions.offer(session);
        scheduleDrain();
    }

    /**
     * Marks a session as having a snapshot to write, to be drained after the next {@link #flushDeferred()} (or with
     * an earlier batch). Shard threads; a session is enqueued at most once until drained.
     */
    void enqueueDeferred(final Session session)
    {
        readySessions.offer(session);
        deferred = true;
    }

    /**
     * Has the loop drain the sessions enqueued by {@link #enqueueDeferred(Session)} before this call. Any thread; a
     * volatile read when there are none.
     */
    void flushDeferred()
    {
        if (deferred)
        {
            deferred = false;
            scheduleDrain();
        }
    }

    /**
     * Runs the drain task on the loop unless it is already due.
     * <p>
     * A loop that has shut down refuses the task. Its sessions' channels are closed, so what they hold is released
     * here instead, on the caller's thread: after the loop has ended (it may still be running its last tasks, a
     * drain among them), and with {@code drainScheduled} raised, so the queue has one consumer at a time. A session
     * queued by another thread while this one drained is drained by a further pass.
     */
    private void scheduleDrain()
    {
        if (!drainScheduled.compareAndSet(false, true))
        {
            return;
        }
        try
        {
            eventLoop.execute(this);
            return;
        }
        catch (final RejectedExecutionException ex)
        {
            if (!eventLoop.inEventLoop())
            {
                eventLoop.terminationFuture().awaitUninterruptibly();
            }
        }
        do
        {
            try
            {
                Session session;
                while ((session = readySessions.poll()) != null)
                {
                    session.writeOutbound();
                }
            }
            finally
            {
                drainScheduled.set(false);
            }
        }
        while (!readySessions.isEmpty() && drainScheduled.compareAndSet(false, true));
    }

    /**
     * @return the loop's direct writer. Event loop only.
     */
    DirectSocketWriter socketWriter()
    {
        return socketWriter;
    }

    /**
     * @return the loop's scratch memory for a control frame written at once, empty. Event loop only.
     */
    ByteBuf controlScratch()
    {
        return controlScratch.clear();
    }

    /**
     * @return the loop's send ring, which takes sends only within a drain; null when writes are not batched. Event
     * loop only.
     */
    SendRing sendRing()
    {
        return sendRing;
    }

    /**
     * @return the sends the loop's ring took up to its last batch: 0 when writes are not batched. Any thread.
     */
    long sentByRing()
    {
        return sentByRing.get();
    }

    /**
     * The drain task, on the event loop.
     */
    public void run()
    {
        drainScheduled.set(false);
        sendRing = SendRingIoHandler.current();
        int count;
        while ((count = takeBatch()) > 0)
        {
            writeInRankOrder(count);
        }
    }

    /**
     * Takes every session queued now; those queued while the batch is written make the next batch.
     */
    private int takeBatch()
    {
        int count = 0;
        Session session;
        while ((session = readySessions.poll()) != null)
        {
            if (count == batch.length)
            {
                batch = Arrays.copyOf(batch, count * 2);
                order = new long[count * 2];
            }
            batch[count++] = session;
        }
        return count;
    }

    private void writeInRankOrder(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            order[i] = batch[i].snapshotRank();
        }
        RankOrder.sort(order, count);
        int next = 0;
        if (sendRing != null)
        {
            sendRing.begin();
        }
        try
        {
            while (next < count)
            {
                final int index = RankOrder.index(order[next++]);
                final Session session = batch[index];
                batch[index] = null;
                session.writeOutbound();
            }
        }
        finally
        {
            try
            {
                if (sendRing != null)
                {
                    sendRing.submit();
                    sentByRing.lazySet(sendRing.sendsQueued());
                }
            }
            finally
            {
                if (next < count)
                {
                    requeueUnwritten(next, count);
                }
            }
        }
    }

    /**
     * Puts back the sessions of a batch that a failed write left unwritten, as they were before it was taken, and has
     * the loop drain them again: they are still marked enqueued, so nothing else would.
     */
    private void requeueUnwritten(final int from, final int count)
    {
        for (int i = from; i < count; i++)
        {
            final int index = RankOrder.index(order[i]);
            readySessions.offer(batch[index]);
            batch[index] = null;
        }
        scheduleDrain();
    }
}
