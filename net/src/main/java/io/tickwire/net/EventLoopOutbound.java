package io.tickwire.net;

import io.netty.channel.EventLoop;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The outbound hand-off of one event loop: shards enqueue sessions that have frames waiting, and one drain task per
 * batch runs on the loop, writing and flushing each session once. However many clients a shard serves on this
 * loop, a tick costs the loop one task and each channel one flush.
 * <pre>
 *   shard threads (many)                                  event loop (one)
 *   snapshot: session -> enqueueDeferred: queued only
 *   after the tick's last snapshot: flushDeferred ---+
 *   control frame: session -> enqueue ---------------+--> execute(drain) once per batch
 *                                                         drain: poll sessions -> write control, snapshot -> flush
 * </pre>
 * Snapshots wait for their shard's flush ({@link EventLoopOutbounds#flush(int)}), so the loop wakes once for a
 * tick's snapshots rather than while a shard is still offering them; messages and close frames are not held.
 */
final class EventLoopOutbound implements Runnable
{
    private final EventLoop eventLoop;
    private final MpscUnboundedXaddArrayQueue<Session> readySessions = new MpscUnboundedXaddArrayQueue<>(1024);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean deferred;
    private final DirectSocketWriter socketWriter = new DirectSocketWriter();

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
     * The drain task, on the event loop.
     */
    public void run()
    {
        drainScheduled.set(false);
        Session session;
        while ((session = readySessions.poll()) != null)
        {
            session.writeOutbound();
        }
    }
}
